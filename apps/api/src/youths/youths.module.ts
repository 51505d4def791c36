import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ConsentController } from './consent.controller';
import { ConsentService } from './consent.service';
import { DataExportController } from './data-export.controller';
import { DataExportService } from './data-export.service';
import { ErasureController } from './erasure.controller';
import { ErasureService } from './erasure.service';

@Module({
  imports: [CasesModule],
  controllers: [ErasureController, DataExportController, ConsentController],
  providers: [ErasureService, DataExportService, ConsentService],
})
export class YouthsModule {}
