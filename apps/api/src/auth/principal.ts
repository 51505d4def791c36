import type { Role } from '@walt/domain';

/** Who is calling, from the verified bearer token. */
export interface Principal {
  sub: string;
  role: Role;
  partnerId?: string;
  /** Département codes a counsellor is limited to; absent means all. */
  territories?: string[];
}

export const actorOf = (p: Principal) => (p.role === 'partner' ? `partner:${p.partnerId}` : `${p.role}:${p.sub}`);
