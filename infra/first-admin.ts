/**
 * Creates the first console admin when there is none, and prints a sign-in link for them (run
 * by `npm start` once the API is up: node dist/infra/first-admin.js). The address is
 * ADMIN_EMAIL (default admin@walt.localhost); the link works once, for 15 minutes. Later
 * links are asked for on the console's sign-in page and arrive by email (or in message_outbox).
 */
import { signInLinkUrl } from '@walt/messaging';
import { initializeDataSource, UsersRepository } from '@walt/persistence';

const LINK_TTL_MS = 15 * 60_000;

async function main(): Promise<void> {
  const dataSource = await initializeDataSource();
  try {
    const users = new UsersRepository(dataSource);
    if ((await users.countActiveAdmins()) > 0) {
      console.log('    Console      sign in at /console/connexion (links arrive by email, or in the message_outbox table)');
      return;
    }
    const email = process.env.ADMIN_EMAIL || 'admin@walt.localhost';
    const admin = (await users.create({ email, role: 'admin' })) ?? (await users.byEmail(email));
    if (!admin) throw new Error(`cannot create the admin ${email}`);
    if (!admin.active || admin.role !== 'admin') await users.update(admin.userId, { role: 'admin', active: true });
    const now = new Date();
    const secret = await users.createLink(admin.userId, now, new Date(now.getTime() + LINK_TTL_MS));
    console.log(`    First admin  ${email} created; sign in within 15 minutes (once) with:`);
    console.log(`                 ${signInLinkUrl(secret)}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(`first admin: ${(err as Error).message}`);
  process.exit(1);
});
