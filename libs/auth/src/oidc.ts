import { createPublicKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ROLES, Role } from '@walt/domain';
import { CLOCK_SKEW_SECONDS } from './jwt';
import type { Principal } from './principal';

/** The only algorithms an identity provider's token may use: asymmetric, so no shared secret leaves the provider. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  algorithms: OidcAlgorithm[];
  /** Claim holding the role (a string or a list; dotted for nested claims, e.g. `realm_access.roles`). */
  roleClaim: string;
  /** Provider role value → role of API.md; a value already named like a role maps to itself. */
  roleMap: Record<string, Role>;
  territoriesClaim: string;
  partnerIdClaim: string;
  /** Keys are fetched again after this long, and on an unknown `kid` no more often than every `refreshCooldownMs`. */
  cacheTtlMs: number;
  refreshCooldownMs: number;
}

/** A JWKS holds a handful of keys; more than this is not a key set we trust (or keep in memory). */
export const MAX_JWKS_KEYS = 20;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * The OIDC configuration from the environment, or undefined when none is set (HS256 dev tokens
 * and console sessions only). A partial or malformed configuration throws a message that says
 * which variable to fix, so the API refuses to start rather than refuse every token.
 */
export function oidcConfig(env: NodeJS.ProcessEnv = process.env): OidcConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl } = env;
  if (!issuer && !audience && !jwksUrl) return undefined;
  const missing = Object.entries({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length)
    throw new Error(`OIDC is half configured: ${missing.join(', ')} missing (set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL together).`);
  let url: URL;
  try {
    url = new URL(jwksUrl!);
  } catch {
    throw new Error(`OIDC_JWKS_URL is not a URL: ${jwksUrl}`);
  }
  // Keys fetched in clear could be swapped on the way; plain http only to this machine or outside production.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || env.NODE_ENV !== 'production'))) {
    throw new Error(`OIDC_JWKS_URL must be https${env.NODE_ENV === 'production' ? ' in production' : ''} (got ${url.protocol}).`);
  }
  const algorithms = (env.OIDC_ALGORITHMS || OIDC_ALGORITHMS.join(','))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const refused = algorithms.filter((a) => !(OIDC_ALGORITHMS as readonly string[]).includes(a));
  if (refused.length || !algorithms.length) {
    throw new Error(`OIDC_ALGORITHMS may list only ${OIDC_ALGORITHMS.join(', ')} (got ${env.OIDC_ALGORITHMS}).`);
  }
  const roleMap: Record<string, Role> = Object.fromEntries(ROLES.map((r) => [r, r]));
  for (const pair of (env.OIDC_ROLE_MAP || '').split(',').filter((p) => p.trim())) {
    const [from, to] = pair.split('=').map((s) => s.trim());
    if (!from || !ROLES.includes(to as Role)) {
      throw new Error(`OIDC_ROLE_MAP entries are providerValue=role with role one of ${ROLES.join(', ')} (got "${pair}").`);
    }
    roleMap[from] = to as Role;
  }
  const seconds = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds (got ${env[name]}).`);
    return value * 1000;
  };
  return {
    issuer: issuer!,
    audience: audience!,
    jwksUrl: url.toString(),
    algorithms: algorithms as OidcAlgorithm[],
    roleClaim: env.OIDC_ROLE_CLAIM || 'role',
    roleMap,
    territoriesClaim: env.OIDC_TERRITORIES_CLAIM || 'territories',
    partnerIdClaim: env.OIDC_PARTNER_ID_CLAIM || 'partnerId',
    cacheTtlMs: seconds('OIDC_JWKS_CACHE_SECONDS', 600),
    refreshCooldownMs: seconds('OIDC_JWKS_REFRESH_COOLDOWN_SECONDS', 30),
  };
}

interface CachedKey {
  key: KeyObject;
  alg?: string;
}

/**
 * The provider's signing keys by `kid`. Fetched once, again when the TTL has passed, and again
 * when a token names a `kid` we do not have (the provider rotated) — but no more often than the
 * cooldown, so tokens with made-up kids cannot make us hammer the provider. Concurrent requests
 * share one fetch. A failed fetch keeps the keys we had.
 */
export class JwksCache {
  private keys = new Map<string, CachedKey>();
  private fetchedAt = -Infinity;
  private inFlight?: Promise<void>;

  constructor(
    private readonly config: Pick<OidcConfig, 'jwksUrl' | 'cacheTtlMs' | 'refreshCooldownMs'>,
    private readonly now: () => number = Date.now,
  ) {}

  async key(kid: string): Promise<CachedKey | undefined> {
    const age = this.now() - this.fetchedAt;
    if (age > this.config.cacheTtlMs || (!this.keys.has(kid) && age >= this.config.refreshCooldownMs)) {
      await this.refresh().catch(() => undefined);
    }
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<void> {
    this.fetchedAt = this.now(); // a failing provider is retried after the cooldown too
    const response = await fetch(this.config.jwksUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`JWKS ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error('JWKS without keys');
    const keys = new Map<string, CachedKey>();
    for (const jwk of body.keys.slice(0, MAX_JWKS_KEYS) as Array<Record<string, unknown>>) {
      if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      if (jwk.kty !== 'RSA' && !(jwk.kty === 'EC' && jwk.crv === 'P-256')) continue;
      try {
        keys.set(jwk.kid, {
          key: createPublicKey({ key: jwk as never, format: 'jwk' }),
          alg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
        });
      } catch {
        // a key we cannot read is one no token can be verified with; the others still count
      }
    }
    this.keys = keys;
  }
}

const claimAt = (claims: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), claims);

const listOf = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : undefined;

/** The role a provider's claims give: the first value of the role claim that maps to a role. */
function roleOf(claims: Record<string, unknown>, config: OidcConfig): Role | undefined {
  for (const value of listOf(claimAt(claims, config.roleClaim)) ?? []) {
    if (Object.prototype.hasOwnProperty.call(config.roleMap, value)) return config.roleMap[value];
  }
  return undefined;
}

/**
 * The principal of an identity provider's token, or null: its `alg` must be one configured
 * (RS256/ES256 at most) and match the key its `kid` names, issuer and audience ours, `exp`
 * present and not past (with the same clock skew as our own tokens), and the claims must map to
 * a role of API.md (a partner with its partner id).
 */
export async function verifyOidcToken(token: string, config: OidcConfig, keys: JwksCache, now = new Date()): Promise<Principal | null> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object') return null;
  const { alg, kid } = decoded.header;
  if (!(config.algorithms as string[]).includes(alg) || typeof kid !== 'string') return null;
  const cached = await keys.key(kid);
  if (!cached || (cached.alg && cached.alg !== alg)) return null;
  const keyType = cached.key.asymmetricKeyType;
  if ((alg === 'RS256' && keyType !== 'rsa') || (alg === 'ES256' && keyType !== 'ec')) return null;
  try {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const claims = jwt.verify(token, cached.key, {
      algorithms: [alg as OidcAlgorithm],
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      clockTimestamp: nowSeconds,
    }) as jwt.JwtPayload;
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return null;
    if (typeof claims.iat === 'number' && claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) return null;
    const role = roleOf(claims, config);
    if (!role) return null;
    const partnerId = claimAt(claims, config.partnerIdClaim);
    if (role === 'partner' && typeof partnerId !== 'string') return null;
    const territories = listOf(claimAt(claims, config.territoriesClaim));
    return { sub: claims.sub, role, partnerId: role === 'partner' ? (partnerId as string) : undefined, territories };
  } catch {
    return null;
  }
}
