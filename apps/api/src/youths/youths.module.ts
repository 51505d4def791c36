import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ErasureController } from './erasure.controller';
import { ErasureService } from './erasure.service';

@Module({ imports: [CasesModule], controllers: [ErasureController], providers: [ErasureService] })
export class YouthsModule {}
