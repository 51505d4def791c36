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

export async function api<T>(path: string, init: { method?: string; body?: unknown; text?: boolean; csv?: string } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: init.text ? 'text/csv' : 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.csv !== undefined) headers['content-type'] = 'text/csv';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: init.csv ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  } catch {
    throw new ApiFailure(0, 'Network', 'Le serveur ne répond pas. Vérifiez votre connexion et réessayez.');
  }
  if (res.status === 204) return undefined as T;
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
    if (res.status === 401 && onUnauthorized && !path.startsWith('/v1/auth/')) onUnauthorized();
    throw new ApiFailure(res.status, shaped?.error ?? 'Error', shaped?.message ?? `HTTP ${res.status}`, shaped?.details ?? []);
  }
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
