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

/** A counsellor limited to territories sees the cases of those départements only; everyone else, all. */
export const seesDepartement = (p: Principal, departement: string) =>
  p.role !== 'counsellor' || !p.territories || p.territories.includes(departement);
