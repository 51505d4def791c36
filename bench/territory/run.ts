/**
 * Territory benchmark: what the postal code / commune index costs a process (heap kept, time to
 * build on first use, time per resolution), beside two baselines in the same run.
 *
 *   npx ts-node --transpile-only bench/territory/run.ts
 *
 * Each variant runs in a fresh Node process started with --expose-gc, so one variant's garbage
 * or module cache never counts in another's: the heap is collected (gc twice) and read
 * (process.memoryUsage().heapUsed) before the variant loads anything and again after, with what
 * the variant built still referenced. Prints a table and writes bench/results/territory.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The library's code is loaded (and compiled by ts-node) before the first reading: only data counts.
import * as territory from '../../libs/territory/src';
import { rawGeoData } from '../../libs/territory/src/geo-data';

const VARIANTS = {
  /** What a process keeps once it has resolved one postal code: geoIndex(), both sources. */
  index: 'the index (both sources), as the API and worker keep it',
  /** Baseline: the parsed JSON files kept whole, as require() of each file would keep them. */
  'raw-files': 'baseline: the five parsed JSON files kept (require-style)',
  /** Baseline: La Poste's base alone through the package's entry point (its rows stay in require's cache). */
  'codes-postaux-entry': "baseline: require('codes-postaux') alone (La Poste only)",
} as const;
type Variant = keyof typeof VARIANTS;

interface Measure {
  variant: Variant;
  heapBeforeMB: number;
  heapRightAfterMB: number;
  heapKeptMB: number;
  rssKeptMB: number;
  buildMs: number;
  resolveAllMs?: number;
  postalCodes?: number;
}

const MB = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (bench/territory/run.ts starts its children so)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * The distinct postal codes of La Poste's base, read apart: parsed in measure()'s own frame, the
 * rows could stay referenced from it through the first reading and be counted as freed.
 */
function laPostePostalCodes(): string[] {
  const rows: { codePostal: string }[] = JSON.parse(readFileSync(require.resolve('codes-postaux/codes-postaux.json'), 'utf8'));
  return [...new Set(rows.map((c) => c.codePostal))];
}

/** One variant, in this (child) process. */
function measure(variant: Variant): Measure {
  const postalCodes = laPostePostalCodes();
  const before = collect();
  const start = process.hrtime.bigint();
  let kept: unknown;
  if (variant === 'index')
    territory.resolvePostalCode('75001'); // the first use builds the index
  else if (variant === 'raw-files') kept = rawGeoData();
  else (require('codes-postaux') as { find(code: string): unknown[] }).find('75001');
  const buildMs = Number(process.hrtime.bigint() - start) / 1e6;
  const rightAfter = process.memoryUsage().heapUsed;
  let resolved: { ms: number; codes: number } | undefined;
  if (variant === 'index') {
    const t = process.hrtime.bigint();
    for (const code of postalCodes) if (!territory.resolvePostalCode(code)) throw new Error(`${code} does not resolve`);
    resolved = { ms: Number(process.hrtime.bigint() - t) / 1e6, codes: postalCodes.length };
  }
  const after = collect();
  if (variant === 'raw-files' && !kept) throw new Error('nothing kept');
  return {
    variant,
    heapBeforeMB: MB(before),
    heapRightAfterMB: MB(rightAfter),
    heapKeptMB: MB(after - before),
    rssKeptMB: MB(process.memoryUsage().rss),
    buildMs: Math.round(buildMs),
    ...(resolved ? { resolveAllMs: Math.round(resolved.ms * 10) / 10, postalCodes: resolved.codes } : {}),
  };
}

function main(): void {
  const child = process.argv[2] as Variant | undefined;
  if (child) {
    process.stdout.write(JSON.stringify(measure(child)));
    return;
  }
  const results = (Object.keys(VARIANTS) as Variant[]).map((variant) => {
    const out = execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, variant], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    return JSON.parse(out) as Measure;
  });
  console.log('variant                                                   heap kept   heap right after  build    resolve all');
  for (const r of results) {
    const resolve = r.resolveAllMs !== undefined ? `${r.resolveAllMs} ms for ${r.postalCodes} codes` : '';
    console.log(
      `${VARIANTS[r.variant].padEnd(58)}${`${r.heapKeptMB} MB`.padStart(9)}${`${r.heapRightAfterMB} MB`.padStart(17)}${`${r.buildMs} ms`.padStart(9)}    ${resolve}`,
    );
  }
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(join(__dirname, '..', 'results', 'territory.json'), JSON.stringify({ node: process.version, results }, null, 2));
}

main();
