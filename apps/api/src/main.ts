import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app';
import { jwtSecret, oidcConfig } from '@walt/auth';
import { describeTemporal, temporalConfig } from '@walt/temporal';

async function main() {
  jwtSecret(); // fail fast on a missing or weak secret, before anything listens
  const oidc = oidcConfig(); // and on a half-written identity provider configuration
  const temporal = temporalConfig(); // and on a Temporal configuration that cannot work
  const app = configureApp(await NestFactory.create(AppModule));
  const port = Number(process.env.PORT || 3000);
  await app.listen(port, process.env.HOST || '127.0.0.1');
  console.log(
    `[api] listening on http://127.0.0.1:${port} (OpenAPI: /docs; Temporal ${describeTemporal(temporal)}; bearer tokens: ${oidc ? `OIDC ${oidc.issuer}` : 'none'}${process.env.NODE_ENV === 'production' ? '' : ' + HS256 dev tokens'})`,
  );
}

main().catch((err) => {
  console.error(`[api] ${err.message}`);
  process.exit(1);
});
