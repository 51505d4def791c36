import { SetMetadata } from '@nestjs/common';
import type { AccessKind } from '@walt/persistence';

export const ACCESS_LOG_KEY = 'walt:access-log';

export interface AccessLogRule {
  what: AccessKind;
  /** The cases whose personal data the answer shows (default: the route's `:caseId`). */
  casesOf?: (body: any, params: Record<string, string>) => string[];
}

/**
 * This route shows a young person's personal data: each successful answer appends who read it,
 * with which role, when and from where, to the access log (AccessLogInterceptor). The answer waits
 * for the row: a read that cannot be logged fails rather than going unrecorded.
 */
export const LogsAccess = (what: AccessKind, casesOf?: AccessLogRule['casesOf']) =>
  SetMetadata(ACCESS_LOG_KEY, { what, casesOf } satisfies AccessLogRule);

/** A partner's view of a referral holds the contact details once accepted (API.md): that is when it is personal. */
export const partnerSeesContact = (view: { caseId?: string; lastName?: unknown; email?: unknown; phone?: unknown }) =>
  Boolean(view?.caseId && ('lastName' in view || 'email' in view || 'phone' in view));
