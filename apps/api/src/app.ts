import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorFilter } from './common/error.filter';
import { answerUnreadableRequests } from './common/http-edge';
import { validationPipe } from './common/validation';
import { keepRawBody } from './inbound/raw-body';
import { createLogger } from '@walt/logging';
import { requestLog } from './common/request-log';
import { documentIdempotencyKey } from './idempotency/idempotency-document';
import { httpMetrics } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';

/** The API's JSON log (stdout); tests replace its methods to read what a request logged. */
export const apiLogger = createLogger('api');

/** Everything main.ts and the tests must share, so tests exercise the real HTTP edge. */
export function configureApp(app: INestApplication): INestApplication {
  trustProxy(app);
  app.use(httpMetrics(app.get(MetricsService).registry)); // first, so every answer is counted
  app.use(requestLog(apiLogger));
  keepRawBody(app); // before init: the inbound SMS signature is over the raw bytes
  // Express would tag every answer with a weak ETag of its own; only the polled routes have one,
  // on purpose (common/conditional-get.ts).
  app.getHttpAdapter().getInstance().set('etag', false);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  answerUnreadableRequests(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Walt: youth-inclusion journeys')
      .setDescription('HTTP contract v1 (shared/design/API.md). Errors: { error, message, details[] }.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  documentIdempotencyKey(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * Behind a reverse proxy every request comes from the proxy's address, so the per-IP intake
 * limit would be one bucket for the whole public. TRUST_PROXY (Express's `trust proxy`: a number
 * of proxy hops, or the proxies' addresses/CIDRs, comma-separated) takes the client's address from
 * X-Forwarded-For instead. Unset: the socket's address, and X-Forwarded-For is ignored (spoofable).
 */
function trustProxy(app: INestApplication): void {
  const value = process.env.TRUST_PROXY?.trim();
  if (!value) return;
  app
    .getHttpAdapter()
    .getInstance()
    .set('trust proxy', /^\d+$/.test(value) ? Number(value) : value.split(',').map((v) => v.trim()));
}
