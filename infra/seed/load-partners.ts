/**
 * Loads the seed partner directory (infra/seed/partners.csv) into an empty database. Run by
 * `npm start` after the migrations (node dist/infra/seed/load-partners.js); also
 * `npx ts-node -r tsconfig-paths/register --transpile-only infra/seed/load-partners.ts`.
 * A directory that already has partners is left as it is.
 */
import { displayPath, loadSeedPartnersIfEmpty, PartnersRepository, seedPartnersCsvPath } from '@walt/directory';
import { initializeDataSource } from '@walt/persistence';

async function main(): Promise<void> {
  const dataSource = await initializeDataSource();
  try {
    const csvPath = seedPartnersCsvPath();
    const loaded = await loadSeedPartnersIfEmpty(dataSource, csvPath);
    if (loaded > 0) console.log(`partners: ${loaded} loaded from ${displayPath(csvPath)}`);
    else console.log(`partners: directory already has ${await new PartnersRepository(dataSource).count()}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(`partners: ${(err as Error).message}`);
  process.exit(1);
});
