import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorFilter } from './common/error.filter';
import { validationPipe } from './common/validation';
import { keepRawBody } from './inbound/raw-body';
import { documentIdempotencyKey } from './idempotency/idempotency-document';
import { httpMetrics } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';

/** Everything main.ts and the tests must share, so tests exercise the real HTTP edge. */
export function configureApp(app: INestApplication): INestApplication {
  app.use(httpMetrics(app.get(MetricsService).registry)); // first, so every answer is counted
  keepRawBody(app); // before init: the inbound SMS signature is over the raw bytes
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
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
