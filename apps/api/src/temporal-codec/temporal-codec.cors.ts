import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * TEMPORAL_UI_ORIGIN (e.g. `https://temporal.example.org`; outside production it defaults to the dev
 * server's UI, http://localhost:8233): the one origin whose browser pages may call the codec
 * endpoints. Any other origin gets no CORS headers, so the browser refuses to read the answer.
 */
export function temporalUiOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.TEMPORAL_UI_ORIGIN ?? (env.NODE_ENV === 'production' ? '' : 'http://localhost:8233,http://127.0.0.1:8233');
  return configured
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
}

@Injectable()
export class TemporalCodecCors implements NestMiddleware {
  private readonly origins = temporalUiOrigins();

  use(request: Request, response: Response, next: NextFunction): void {
    const origin = request.headers.origin;
    const allowed = Boolean(origin && this.origins.includes(origin));
    response.setHeader('Vary', 'Origin');
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin!);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (request.method !== 'OPTIONS') return next();
    // The preflight carries no token: answered here, before the auth guard.
    if (allowed) {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      response.setHeader('Access-Control-Max-Age', '600');
    }
    response.status(204).end();
  }
}
