import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { DataSource } from 'typeorm';
import { parsePartnersCsv } from '@walt/matching';
import { PartnersRepository } from './partners.repository';

const SEED_FILE = join('infra', 'seed', 'partners.csv');

/**
 * The repository root, found by walking up to the folder holding infra/seed/partners.csv: the
 * same code runs as TypeScript from libs/ and as compiled JavaScript from dist/libs/ (tsc does
 * not copy the CSV into dist/).
 */
function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SEED_FILE))) return dir;
    if (dirname(dir) === dir) throw new Error(`${SEED_FILE} not found above ${from}`);
  }
}

export const seedPartnersCsvPath = () => join(repoRoot(), SEED_FILE);

/** The path as people read it: relative to the repository root when it is inside. */
export const displayPath = (path: string) => {
  const inRepo = relative(repoRoot(), path);
  return inRepo.startsWith('..') ? path : inRepo;
};

/**
 * Loads the seed directory into an empty `partners` table, so a fresh install can match at
 * once; a directory that already has partners (seeded or imported) is left alone. Returns the
 * number loaded. A broken seed file fails loudly with every error, never half-loads.
 */
export async function loadSeedPartnersIfEmpty(dataSource: DataSource, csvPath = seedPartnersCsvPath()): Promise<number> {
  const repository = new PartnersRepository(dataSource);
  if ((await repository.count()) > 0) return 0;
  const { partners, errors } = parsePartnersCsv(readFileSync(csvPath, 'utf8'));
  if (errors.length) {
    const lines = errors.slice(0, 20).map((e) => `  line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
    throw new Error(`${csvPath} has ${errors.length} error(s):\n${lines.join('\n')}`);
  }
  await repository.replaceFromImport(partners);
  return partners.length;
}
