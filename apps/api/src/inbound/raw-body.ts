import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

/**
 * Keeps the exact bytes of JSON bodies as `req.rawBody`: the inbound SMS webhook's signature is
 * an HMAC of them, which a re-serialised `req.body` would not reproduce. Call before `init()`
 * (configureApp does): Nest then keeps this parser instead of adding its own.
 */
export function keepRawBody(app: INestApplication): void {
  (app as NestExpressApplication).useBodyParser('json', {
    verify: (req: RequestWithRawBody, _res: unknown, buffer: Buffer) => {
      req.rawBody = buffer;
    },
  });
}
