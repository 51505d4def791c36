import { initializeDataSource } from './data-source';

/** `npm run migrate`: applies pending migrations; used by both README commands. */
async function main() {
  const dataSource = await initializeDataSource();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'schema up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
