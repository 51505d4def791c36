import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** apps/web/dist, from the sources (ts-node, tests) or from dist/apps/api/src/web. */
export function webDist(): string | undefined {
  const candidates = [process.env.WEB_DIST, join(__dirname, '../../../web/dist'), join(__dirname, '../../../../../apps/web/dist')];
  return candidates.find((dir): dir is string => Boolean(dir) && existsSync(join(dir!, 'index.html')));
}

/** What the web pages never answer: the API and the operations routes keep their own 404s. */
const API_ROUTES = ['/v1/{*path}', '/docs', '/docs/{*path}', '/docs-json', '/health', '/ready', '/metrics'];

/**
 * The web pages (API.md, Web), built by `npm run build` into apps/web/dist: the console under
 * /console/ (its own entry, dist/console/index.html, for every console route), and the public
 * pages for the rest (/, /confidentialite, /lien/{token}). Absent when the web is not built
 * (the API tests), so the API works alone.
 */
@Module({})
export class WebModule {
  static register(): DynamicModule {
    const dist = webDist();
    if (!dist) return { module: WebModule };
    const cache = { maxAge: '1y', immutable: true, index: false } as const;
    return {
      module: WebModule,
      imports: [
        ServeStaticModule.forRoot(
          { rootPath: join(dist, 'console'), serveRoot: '/console', exclude: API_ROUTES, serveStaticOptions: { index: false } },
          { rootPath: join(dist, 'assets'), serveRoot: '/assets', exclude: API_ROUTES, serveStaticOptions: cache },
          {
            rootPath: dist,
            exclude: [...API_ROUTES, '/console', '/console/{*path}', '/assets/{*path}'],
            serveStaticOptions: { index: false },
          },
        ),
      ],
    };
  }
}
