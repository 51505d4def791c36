/**
 * The one client of the API (shared/design/API.md), for the public pages and the console alike.
 * Same origin: the console's session cookie goes with every call; writes made with it carry the
 * session's CSRF token (given by GET /v1/me). Errors keep the API's single shape.
 */
export interface ErrorDetail {
  field: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** Set once the console knows its session (GET /v1/me). */
export const useCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** Called on a 401 from the console: the session is gone, sign in again. */
let onUnauthorized: (() => void) | undefined;
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

/**
 * A random UUID v4. `crypto.randomUUID` exists only on HTTPS or localhost pages; the console may
 * be served over plain HTTP inside a network, where `getRandomValues` still works.
 */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The last answer of each polled GET with its ETag (the API's polled routes answer 304 while
 * unchanged: apps/api/src/common/conditional-get.ts). Kept here, in memory, rather than in the
 * browser's HTTP cache: those answers carry personal data and say `no-store`. A few dozen URLs at
 * most (the oldest goes first); the page reload of a sign-out empties it.
 */
const lastAnswers = new Map<string, { etag: string; body: unknown }>();
const MAX_KEPT_ANSWERS = 50;
function keepAnswer(path: string, etag: string, body: unknown) {
  lastAnswers.delete(path);
  lastAnswers.set(path, { etag, body });
  if (lastAnswers.size > MAX_KEPT_ANSWERS) lastAnswers.delete(lastAnswers.keys().next().value!);
}

/** How long a write waits before its one retry after a network failure. */
const WRITE_RETRY_MS = 500;

/**
 * A write (any method but GET) is one user action: it carries an `Idempotency-Key` (API.md) made
 * once per call, or given by the caller, and kept when the write is sent again after a network
 * failure, so that an answer lost on the way back never records the action twice.
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; text?: boolean; csv?: string; idempotencyKey?: string } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const write = method !== 'GET';
  const headers: Record<string, string> = { accept: init.text ? 'text/csv' : 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.csv !== undefined) headers['content-type'] = 'text/csv';
  if (write && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (write) headers['idempotency-key'] = init.idempotencyKey ?? newUuid();
  const kept = write || init.text ? undefined : lastAnswers.get(path);
  if (kept) headers['if-none-match'] = kept.etag;
  const send = () =>
    fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: init.csv ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  let res: Response;
  try {
    res = await send().catch(async (err: unknown) => {
      if (!write) throw err;
      await new Promise((r) => setTimeout(r, WRITE_RETRY_MS));
      return send();
    });
  } catch {
    throw new ApiFailure(0, 'Network', 'Le serveur ne répond pas. Vérifiez votre connexion et réessayez.');
  }
  if (res.status === 204) return undefined as T;
  // The same object as last time: react-query sees no change and nothing is drawn again.
  if (res.status === 304 && kept) return kept.body as T;
  const raw = await res.text();
  let body: unknown = raw;
  if (!init.text && raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
  }
  if (!res.ok) {
    const shaped = body as { error?: string; message?: string; details?: ErrorDetail[] };
    if (res.status === 401) lastAnswers.clear();
    if (res.status === 401 && onUnauthorized && !path.startsWith('/v1/auth/')) onUnauthorized();
    throw new ApiFailure(res.status, shaped?.error ?? 'Error', shaped?.message ?? `HTTP ${res.status}`, shaped?.details ?? []);
  }
  const etag = res.headers.get('etag');
  if (!write && !init.text && etag) keepAnswer(path, etag, body);
  return body as T;
}

/** A list page of the API. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Builds `?a=1&b=2`, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
