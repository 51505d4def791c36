import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import { payloadCodec } from '@walt/temporal';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { CodecPayloadDto, CodecPayloadsDto } from './dto/codec-payloads.dto';

const fromJson = (p: CodecPayloadDto): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): CodecPayloadDto => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * The codec server the Temporal web UI calls (Settings → Codec Server → this URL, "pass the access
 * token"), so an admin reads decrypted histories in the UI while Temporal stores ciphertext only.
 * Browsers reach it cross-origin: CORS is answered by TemporalCodecCors for the configured UI origin.
 */
@ApiTags('data protection')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/temporal-codec')
export class TemporalCodecController {
  @Post('decode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decrypt payloads of a Temporal history (codec server protocol)' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  async decode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    try {
      return { payloads: (await payloadCodec().decode(body.payloads.map(fromJson))).map(toJson) };
    } catch (err) {
      throw new ApiError(HttpStatus.BAD_REQUEST, `A payload cannot be decoded: ${(err as Error).message}`);
    }
  }

  @Post('encode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Encrypt payloads (codec server protocol: the UI encodes what it sends, e.g. a signal)' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  async encode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    return { payloads: (await payloadCodec().encode(body.payloads.map(fromJson))).map(toJson) };
  }
}
