import { Module } from '@nestjs/common';
import { InboundController } from './inbound.controller';
import { InboundSignatureGuard } from './inbound-signature.guard';
import { InboundService } from './inbound.service';

/** Inbound SMS from young people, through the provider's signed webhook. */
@Module({ controllers: [InboundController], providers: [InboundService, InboundSignatureGuard] })
export class InboundModule {}
