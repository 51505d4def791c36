import type { Request, Response } from 'express';
import { publicBaseUrl } from '@walt/messaging';

/** The console's session cookie: HttpOnly, SameSite=Lax, Secure when the API is served over HTTPS. */
export const SESSION_COOKIE = 'walt_session';
/** The header a cookie-authenticated write carries: the session's CSRF token, from GET /v1/me. */
export const CSRF_HEADER = 'x-csrf-token';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = Number(process.env.SESSION_IDLE_MINUTES || 30) * 60_000;
/** …and after this long whatever happens (signed in again each working day). */
export const SESSION_ABSOLUTE_MS = Number(process.env.SESSION_ABSOLUTE_HOURS || 12) * 3_600_000;
/** A sign-in link works once, for this long. */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000;

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const secure = (req: Request) => req.secure || publicBaseUrl().startsWith('https://');

export function setSessionCookie(req: Request, res: Response, secret: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure: secure(req), path: '/', maxAge: maxAgeMs });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(req), path: '/' });
}

/** Where a link may send the user back: a console page of ours only (no open redirect). */
export function consolePath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 500) return undefined;
  return /^\/console(\/[^\\]*)?$/.test(next) && !next.startsWith('//') ? next : undefined;
}
