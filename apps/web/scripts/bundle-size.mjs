// Size check after `vite build` (run by `npm run build:web`, so by `npm start` and `npm test`):
// the JavaScript a page loads before it shows anything, gzipped, against the budgets.
// The public page must not load any of the console's chart library either.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const BUDGETS = [
  { page: 'public form', html: 'index.html', limitKb: 120 },
  { page: 'console (initial load)', html: 'console/index.html', limitKb: 350 },
];

/** The scripts a page loads at once: its module entry and the chunks it preloads. */
function initialScripts(html) {
  const text = readFileSync(join(dist, html), 'utf8');
  const srcs = [
    ...text.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...text.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ];
  return [...new Set(srcs.map((m) => m[1]))];
}

let failed = false;
const lines = [];
for (const { page, html, limitKb } of BUDGETS) {
  const scripts = initialScripts(html);
  let gzipped = 0;
  let charts = false;
  for (const src of scripts) {
    const code = readFileSync(join(dist, src.replace(/^\//, '')));
    gzipped += gzipSync(code, { level: 9 }).length;
    if (/echarts|zrender/i.test(code.toString('utf8'))) charts = true;
  }
  const kb = gzipped / 1024;
  const ok = kb < limitKb && !(html === 'index.html' && charts);
  failed ||= !ok;
  lines.push(
    `[web] ${page}: ${kb.toFixed(1)} KB gzipped in ${scripts.length} file(s) (budget < ${limitKb} KB)${html === 'index.html' && charts ? ' — loads the chart library!' : ''}${ok ? '' : '  FAILED'}`,
  );
}
console.log(lines.join('\n'));
if (failed) {
  console.error('[web] a page is over its size budget (apps/web/scripts/bundle-size.mjs)');
  process.exit(1);
}
