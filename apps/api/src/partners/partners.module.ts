import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PartnersRepository } from '@walt/directory';
import { csvBodyParser } from './import-body';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

/** Administration of the partner directory (admin only). */
@Module({
  controllers: [PartnersController],
  providers: [
    PartnersService,
    { provide: PartnersRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new PartnersRepository(dataSource) },
  ],
  exports: [PartnersRepository],
})
export class PartnersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(csvBodyParser).forRoutes({ path: 'v1/partners/import', method: RequestMethod.POST });
  }
}
