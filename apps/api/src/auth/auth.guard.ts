import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Role } from '@walt/domain';
import { UsersRepository } from '@walt/persistence';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { JwksCache, jwtSecret, oidcConfig, Principal, verifyOidcToken, verifyToken } from '@walt/auth';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, SESSION_IDLE_MS } from './session-cookie';

/** What the guard knows of a cookie session, for /v1/me and sign-out. */
export interface SessionContext {
  secret: string;
  csrfToken: string;
  email: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Global: every route needs a valid bearer token or console session unless marked @Public(),
 * and one of its @Roles(). A bearer token wins over a cookie (API clients never carry one);
 * a write made with the cookie must carry the session's CSRF token in X-CSRF-Token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly secret = jwtSecret();
  /** Tokens of the organisation's identity provider, when OIDC_* is configured. */
  private readonly oidc = oidcConfig();
  private readonly jwks = this.oidc && new JwksCache(this.oidc);
  /** Our own HS256 tokens are for development and tests: in production only the provider's are taken. */
  private readonly devTokens = process.env.NODE_ENV !== 'production';

  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal; session?: SessionContext }>();
    const principal = request.headers.authorization !== undefined ? await this.bearer(request) : await this.cookie(request);
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ApiError(HttpStatus.FORBIDDEN, `The ${principal.role} role cannot use this route (allowed: ${roles.join(', ')}).`);
    }
    return true;
  }

  private async bearer(request: Request): Promise<Principal> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new ApiError(HttpStatus.UNAUTHORIZED, 'A bearer token is required (Authorization: Bearer <JWT>).');
    if (this.isHs256(token) && !this.devTokens) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        "HS256 development tokens are not accepted in production: use the identity provider's token.",
      );
    }
    const principal = this.isHs256(token)
      ? verifyToken(token, this.secret)
      : this.oidc && this.jwks
        ? await verifyOidcToken(token, this.oidc, this.jwks)
        : null;
    if (!principal) throw new ApiError(HttpStatus.UNAUTHORIZED, 'The bearer token is invalid or expired.');
    return principal;
  }

  private isHs256(token: string): boolean {
    try {
      return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg === 'HS256';
    } catch {
      return false;
    }
  }

  private async cookie(request: Request & { session?: SessionContext }): Promise<Principal> {
    const secret = readCookie(request, SESSION_COOKIE);
    if (!secret)
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'A bearer token is required (Authorization: Bearer <JWT>), or a console session.');
    const session = await this.users.touchSession(secret, this.clock.now(), SESSION_IDLE_MS);
    if (!session) throw new ApiError(HttpStatus.UNAUTHORIZED, 'The session has ended or expired: sign in again.');
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) {
        throw new ApiError(
          HttpStatus.FORBIDDEN,
          `A write made with the session cookie needs the session's CSRF token in X-CSRF-Token (GET /v1/me).`,
        );
      }
    }
    request.session = { secret, csrfToken: session.csrfToken, email: session.user.email };
    const { user } = session;
    return { sub: user.userId, role: user.role, partnerId: user.partnerId, territories: user.territories };
  }
}
