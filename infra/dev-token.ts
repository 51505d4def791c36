/**
 * Prints a development bearer token: `npm run token -- <role> [partnerId|territories]`.
 *   npm run token -- counsellor            npm run token -- counsellor 971,972
 *   npm run token -- partner ml-75-01      npm run token -- manager | admin
 */
import { ROLES, Role } from '@walt/domain';
import { signToken } from '@walt/auth';

const [role, extra] = process.argv.slice(2);
if (!ROLES.includes(role as Role)) {
  console.error(`usage: npm run token -- <${ROLES.join('|')}> [partnerId | comma-separated départements]`);
  process.exit(2);
}
if (role === 'partner' && !extra) {
  console.error('a partner token needs the partner id: npm run token -- partner <partnerId>');
  process.exit(2);
}
console.log(
  signToken({
    sub: `dev-${role}`,
    role: role as Role,
    partnerId: role === 'partner' ? extra : undefined,
    territories: role === 'counsellor' && extra ? extra.split(',') : undefined,
  }),
);
