/**
 * Matching benchmark: 1,000 young people against directories of 300, 3,000 and 30,000
 * partners, the indexed engine beside the whole-directory scan in the same run.
 *
 *   npx ts-node --transpile-only bench/matching/run.ts
 *
 * Prints a table and writes bench/results/matching.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { generatePartners } from '../../infra/seed/generate-partners';
import { generateLoad, generateProfiles } from '../../infra/seed/generate-profiles';
import { matchByFullScan, MatchingIndex, type MatchRequest, type MatchResult } from '../../libs/matching/src';

const SIZES = [300, 3_000, 30_000];
const PROFILES = 1_000;
const ROUNDS = 3; // each profile is matched this many times per engine; percentiles over all
const SEEDS = { partners: 2024, profiles: 42, load: 11 };

interface Timing {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

interface SizeResult {
  partners: number;
  indexBuildMs: number;
  /** Partners the index looks at per match (those serving the place): the work it does. */
  meanPartnersExamined: number;
  meanEligible: number;
  indexed: Timing;
  fullScan: Timing;
  sameResults: boolean;
}

function time(run: () => MatchResult): [number, MatchResult] {
  const start = process.hrtime.bigint();
  const result = run();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

function benchSize(size: number): SizeResult {
  const partners = generatePartners(size, SEEDS.partners);
  const load = generateLoad(partners, SEEDS.load);
  const requests: MatchRequest[] = generateProfiles(PROFILES, SEEDS.profiles).map((profile) => ({ profile, load }));

  const buildStart = process.hrtime.bigint();
  const index = new MatchingIndex(partners);
  const indexBuildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;

  // Warm-up so both engines are measured JIT-compiled, and the equivalence check on the way.
  let sameResults = true;
  for (const request of requests) sameResults &&= isDeepStrictEqual(index.match(request), matchByFullScan(partners, request));

  const indexed: number[] = [];
  const fullScan: number[] = [];
  let examined = 0;
  let eligible = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const request of requests) {
      const [ms, result] = time(() => index.match(request));
      indexed.push(ms);
      if (round === 0) {
        examined += result.eligible.length + result.excluded.length;
        eligible += result.eligible.length;
      }
    }
    for (const request of requests) fullScan.push(time(() => matchByFullScan(partners, request))[0]);
  }
  return {
    partners: size,
    indexBuildMs: Math.round(indexBuildMs * 100) / 100,
    meanPartnersExamined: Math.round((examined / requests.length) * 10) / 10,
    meanEligible: Math.round((eligible / requests.length) * 10) / 10,
    indexed: summarise(indexed),
    fullScan: summarise(fullScan),
    sameResults,
  };
}

function main(): void {
  const results = SIZES.map(benchSize);
  const at = (n: number) => results.find((r) => r.partners === n)!;
  const growth = {
    indexedP99_3000to30000: Math.round((at(30_000).indexed.p99Ms / at(3_000).indexed.p99Ms) * 100) / 100,
    fullScanP99_3000to30000: Math.round((at(30_000).fullScan.p99Ms / at(3_000).fullScan.p99Ms) * 100) / 100,
  };

  console.log(`matching: ${PROFILES} profiles × ${ROUNDS} rounds per directory size, times per match (ms)\n`);
  console.table(
    results.map((r) => ({
      partners: r.partners,
      'examined/match': r.meanPartnersExamined,
      'eligible/match': r.meanEligible,
      'indexed p50': r.indexed.p50Ms,
      'indexed p99': r.indexed.p99Ms,
      'full scan p50': r.fullScan.p50Ms,
      'full scan p99': r.fullScan.p99Ms,
      'index build': r.indexBuildMs,
      'same results': r.sameResults,
    })),
  );
  console.log(
    `p99 growth 3,000 → 30,000 partners: indexed ×${growth.indexedP99_3000to30000}, full scan ×${growth.fullScanP99_3000to30000}`,
  );

  const file = join(__dirname, '../results/matching.json');
  mkdirSync(join(__dirname, '../results'), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: 'matching',
        runAt: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model,
        profiles: PROFILES,
        rounds: ROUNDS,
        seeds: SEEDS,
        results,
        growth,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`written to ${file}`);
  if (results.some((r) => !r.sameResults)) process.exitCode = 1;
}

main();
