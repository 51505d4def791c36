import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { InboundSignatureGuard } from './inbound-signature.guard';
import { InboundSmsDto, InboundSmsResultDto } from './inbound-sms.dto';
import { InboundService } from './inbound.service';

@ApiTags('intake')
@Public()
@Controller('v1/intake/sms')
export class InboundController {
  constructor(private readonly inbound: InboundService) {}

  @Post('inbound')
  @HttpCode(200)
  @UseGuards(InboundSignatureGuard)
  @ApiOperation({ summary: "SMS provider webhook: a young person's SMS (STOP opts the number out of SMS)" })
  @ApiHeader({ name: 'X-Signature', required: true, description: 'hex(HMAC-SHA256(SMS_INBOUND_SECRET, raw body))' })
  @ApiOkResponse({ type: InboundSmsResultDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong X-Signature' })
  @ApiBadRequestResponse({ description: 'ValidationError' })
  @ApiServiceUnavailableResponse({ description: 'SMS_INBOUND_SECRET is not configured' })
  receive(@Body() sms: InboundSmsDto): Promise<InboundSmsResultDto> {
    return this.inbound.receive(sms.from, sms.text);
  }
}
