import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { refuseDeepJson } from '../common/http-edge';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

/**
 * Keeps the exact bytes of JSON bodies as `req.rawBody`: the inbound SMS webhook's signature is
 * an HMAC of them, which a re-serialised `req.body` would not reproduce. Call before `init()`
 * (configureApp does): Nest then keeps this parser instead of adding its own. It is the app's
 * JSON parser, so it also refuses bodies nested too deep before they are parsed.
 */
export function keepRawBody(app: INestApplication): void {
  (app as NestExpressApplication).useBodyParser('json', {
    verify: (req: RequestWithRawBody, _res: unknown, buffer: Buffer) => {
      refuseDeepJson(buffer);
      req.rawBody = buffer;
    },
  });
}
