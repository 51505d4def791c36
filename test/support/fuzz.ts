import type { Test } from 'supertest';
import type { DataSource } from 'typeorm';

/**
 * A seeded fuzzer generated from the OpenAPI document: for every route, requests whose path ids,
 * query strings, headers and bodies are malformed in the ways attackers and broken clients
 * malform them (wrong types, missing and extra fields, prototype pollution keys, deep nesting,
 * huge bodies, invalid UTF-8, wrong content types). `checkAnswer` is its oracle: never a 5xx,
 * every 4xx in API.md's error shape. Shared by test/fuzz.e2e.test.ts and bench/fuzz.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  format?: string;
  nullable?: boolean;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
};
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operation: Operation;
}

/**
 * Whether a route's refusals are pages for a browser (the sign-in link, API.md: "a used or expired
 * link answers a page"), as its controller declares them in the document, rather than the error shape.
 */
export const refusesWithPage = (operation: Operation): boolean =>
  Object.entries(operation.responses ?? {}).some(([status, response]) => Number(status) >= 400 && 'text/html' in (response.content ?? {}));

export function routesOf(document: OpenApiDocument): FuzzRoute[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((m) => operations[m])
      .map((method) => ({ method, path, operation: operations[method] })),
  );
}

/** Values that have broken parsers, ORMs and SQL before. */
const NASTY_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '-1',
  '0',
  '1e309',
  'NaN',
  '9'.repeat(40),
  "' OR 1=1 --",
  '"; DROP TABLE cases; --',
  '%',
  '%00',
  '\u0000',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '\uD800', // a lone surrogate
  '𝕎𝕒𝕝𝕥 🙂',
  'é'.repeat(300),
  'a'.repeat(5000),
  '2026-02-30',
  '2026-13-01T25:61:61Z',
  '0000-00-00',
  '99999-12-31',
  'P-1D',
  'PT999999999999H',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  '75011',
  '97110',
  '00000',
  '__proto__',
  'constructor',
];
/** encodeURIComponent, except that a lone surrogate becomes the invalid UTF-8 it would be on the wire. */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};
const NASTY_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53 + 1, -1e308, 1e308, [], {}, [null], { a: 1 }, ['x'], 'x'];

export interface FuzzRequest {
  route: FuzzRoute;
  kind: string;
  method: FuzzRoute['method'];
  url: string;
  headers: Record<string, string>;
  /** A JSON value, a raw string or raw bytes; undefined sends no body. */
  body?: unknown;
  raw?: Buffer | string;
}

export interface FuzzIds {
  /** Values of path parameters that name a real object (so some requests get past the 404). */
  [param: string]: string;
}

/** Generates requests for the routes; `next()` is deterministic for a seed. */
export class RequestFuzzer {
  private readonly random: () => number;

  constructor(
    private readonly document: OpenApiDocument,
    seed: number,
    private readonly ids: FuzzIds,
  ) {
    this.random = seededRandom(seed);
  }

  private int = (n: number) => Math.floor(this.random() * n);
  private pick = <T>(values: readonly T[]): T => values[this.int(values.length)];
  private chance = (p: number) => this.random() < p;

  private resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; s.$ref && i < 10; i++) s = this.document.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
    if (s.allOf?.length) return this.resolve(s.allOf[0]);
    if (s.oneOf?.length) return this.resolve(this.pick(s.oneOf));
    if (s.anyOf?.length) return this.resolve(this.pick(s.anyOf));
    return s;
  }

  /** A plausible value for the schema (often valid), to be broken by a mutation. */
  valueFor(schema: Schema | undefined, depth = 0): unknown {
    const s = this.resolve(schema);
    if (s.enum?.length) return this.pick(s.enum);
    if (depth > 4) return null;
    switch (s.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(s.properties ?? {})) {
          if (s.required?.includes(name) || this.chance(0.6)) out[name] = this.valueFor(property, depth + 1);
        }
        return out;
      }
      case 'array':
        return Array.from({ length: this.int(3) }, () => this.valueFor(s.items, depth + 1));
      case 'integer':
        return this.pick([0, 1, 3, 18, 25, 200, 201, -1]);
      case 'number':
        return this.pick([0, 1.5, 20, -3]);
      case 'boolean':
        return this.chance(0.5);
      case 'string':
        if (s.format === 'uuid') return this.pick([this.ids.caseId, this.ids.referralId, '00000000-0000-4000-8000-000000000000']);
        if (s.format === 'date-time')
          return this.pick([new Date(Date.now() + 86_400_000).toISOString(), '2020-01-01T00:00:00Z', 'yesterday']);
        if (s.format === 'date') return this.pick(['2006-05-04', '1990-01-01', '2026-02-30']);
        return this.pick(['x', 'Léa', '75011', 'PT2S', 'P2D', 'WITHDRAWN', this.ids.partnerId ?? 'p']);
      default:
        return this.pick(['x', 1, null, {}]);
    }
  }

  /** Breaks one part of a value: a field of the wrong type, missing, extra, or nasty. */
  mutate(value: unknown, depth = 0): unknown {
    if (value && typeof value === 'object' && !Array.isArray(value) && depth < 3 && this.chance(0.8)) {
      const object = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(object);
      const action = this.int(4);
      if (action === 0 && keys.length) delete object[this.pick(keys)];
      else if (action === 1 && keys.length) {
        const key = this.pick(keys);
        object[key] = this.mutate(object[key], depth + 1);
      } else if (action === 2) object[this.pick(['extra', 'id', 'role', 'stage', 'caseId', 'partnerId'])] = this.pick(NASTY_VALUES);
      else if (keys.length) object[this.pick(keys)] = this.chance(0.5) ? this.pick(NASTY_STRINGS) : this.pick(NASTY_VALUES);
      return object;
    }
    if (Array.isArray(value) && this.chance(0.5)) return [...value, this.pick(NASTY_VALUES), this.pick(NASTY_STRINGS)];
    return this.chance(0.5) ? this.pick(NASTY_STRINGS) : this.pick(NASTY_VALUES);
  }

  private pathOf(route: FuzzRoute, garbage: boolean): string {
    return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (!garbage && this.ids[name] && this.chance(0.8)) return encode(this.ids[name]);
      const nasty = this.pick([...NASTY_STRINGS, '%E0%A4%A', '%zz', '%2e%2e%2f', '..', '.', '%252e']);
      // Some of them go as they are (invalid escapes included), the others encoded.
      return nasty.startsWith('%') || nasty === '..' || nasty === '.' ? nasty : encode(nasty);
    });
  }

  private queryOf(route: FuzzRoute, nasty: boolean): string {
    const declared = (route.operation.parameters ?? []).filter((p) => p.in === 'query');
    const pairs: string[] = [];
    for (const p of declared) {
      if (!nasty && !this.chance(0.4)) continue;
      const value = nasty ? this.pick(NASTY_STRINGS) : String(this.valueFor(p.schema));
      pairs.push(`${encodeURIComponent(p.name)}=${encode(value)}`);
      if (nasty && this.chance(0.3)) pairs.push(`${encodeURIComponent(p.name)}=${encode(this.pick(NASTY_STRINGS))}`);
    }
    if (nasty) {
      pairs.push(
        this.pick([
          '__proto__[polluted]=1',
          'constructor[prototype][polluted]=1',
          'page[]=1&page[]=2',
          'pageSize[$gt]=0',
          'format=csv',
          'format=xml',
          'a[b][c][d][e][f][g][h][i][j][k]=1',
          `q=${'%25'.repeat(50)}`,
          'groupBy=__proto__',
          '%E0%A4%A=1',
        ]),
      );
    }
    return pairs.length ? `?${pairs.join('&')}` : '';
  }

  private bodySchemaOf(route: FuzzRoute): Schema | undefined {
    const content = route.operation.requestBody?.content ?? {};
    return content['application/json']?.schema ?? Object.values(content)[0]?.schema;
  }

  /** The next request, of a kind chosen by the seed. */
  next(route: FuzzRoute): FuzzRequest {
    const hasBody = route.method !== 'get' && route.method !== 'delete';
    const kinds = hasBody
      ? ['body', 'body', 'body', 'proto', 'deep', 'topLevel', 'huge', 'utf8', 'contentType', 'path', 'query', 'headers']
      : ['path', 'path', 'query', 'query', 'headers', 'body'];
    const kind = this.pick(kinds);
    const base = hasBody ? this.valueFor(this.bodySchemaOf(route)) : undefined;
    const request: FuzzRequest = {
      route,
      kind,
      method: route.method,
      url: this.pathOf(route, kind === 'path') + this.queryOf(route, kind === 'query'),
      headers: {},
    };
    switch (kind) {
      case 'body':
        request.body = this.mutate(base ?? {});
        break;
      case 'proto':
        // Raw text: JSON.stringify would drop a literal __proto__ key of an object literal.
        request.raw = `{"__proto__":{"polluted":1,"role":"admin"},"constructor":{"prototype":{"polluted":1}},${JSON.stringify(base ?? {}).slice(1)}`;
        request.headers['Content-Type'] = 'application/json';
        break;
      case 'deep': {
        const depth = this.pick([100, 1_000, 10_000, 30_000]);
        const open = this.chance(0.5) ? '[' : '{"a":';
        const close = open === '[' ? ']' : '}';
        request.raw = open.repeat(depth) + '1' + close.repeat(depth);
        request.headers['Content-Type'] = 'application/json';
        break;
      }
      case 'topLevel':
        request.raw = this.pick(['null', '[]', '[{}]', '"text"', '42', 'true', '', '{', '{"a":}', '{"a":1,"a":2}', '\u0000']);
        request.headers['Content-Type'] = 'application/json';
        break;
      case 'huge':
        request.raw = JSON.stringify({ text: 'x'.repeat(this.pick([150_000, 2_000_000])) });
        request.headers['Content-Type'] = 'application/json';
        break;
      case 'utf8': {
        const json = Buffer.from(JSON.stringify(base ?? { text: 'x' }));
        const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8]);
        const at = Math.max(1, json.indexOf('"') + 1);
        request.raw = Buffer.concat([json.subarray(0, at), bad, json.subarray(at)]);
        request.headers['Content-Type'] = 'application/json';
        break;
      }
      case 'contentType':
        request.headers['Content-Type'] = this.pick([
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'text/csv',
          'application/octet-stream',
          'application/json, text/plain',
        ]);
        request.raw = this.chance(0.5)
          ? JSON.stringify(base ?? {})
          : this.pick([
              'a=1&__proto__[polluted]=1&b[c]=2',
              '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
              '<a>1</a>',
            ]);
        break;
      case 'headers':
        request.body = hasBody ? base : undefined;
        // A declared length shorter than the body: the rest reads as a second, broken request.
        // (Never longer: the server would rightly wait for bytes that never come.)
        if (JSON.stringify(base ?? '').length > 5 && this.chance(0.1)) request.headers['Content-Length'] = '5';
        Object.assign(
          request.headers,
          this.pick([
            { 'Idempotency-Key': 'k'.repeat(this.pick([1, 200, 201, 10_000])) },
            { 'Idempotency-Key': '' },
            { 'Idempotency-Key': '\u00e9t\u00e9' },
            { Accept: 'text/csv' },
            { Accept: 'text/html' },
            { Accept: 'application/xml' },
            { 'X-Forwarded-For': '1.2.3.4, ::1, garbage' },
            { 'X-Signature': 'ff'.repeat(32) },
          ]),
        );
        break;
      default:
        request.body = hasBody ? base : undefined;
    }
    return request;
  }
}

/** Sends a fuzzed request with supertest; `authorization` is the caller's header, if any. */
export function send(http: () => import('supertest').SuperTest<Test> | any, request: FuzzRequest, authorization?: string): Test {
  // A request that gets no answer is a finding too, not a stuck run.
  let req: Test = http()[request.method](request.url).timeout({ response: 15_000, deadline: 30_000 });
  if (authorization) req = req.set('Authorization', authorization);
  for (const [name, value] of Object.entries(request.headers)) {
    // Headers Node refuses to send (invalid characters) are sent as their ASCII-safe form.
    req = req.set(name, /^[\t\x20-\x7e]*$/.test(value) ? value : encode(value));
  }
  if (request.raw !== undefined) req = req.send(request.raw as string);
  else if (request.body !== undefined && (typeof request.body !== 'object' || request.body === null)) {
    // supertest sends objects as JSON but not a bare number, boolean or null: as JSON text then.
    req = req.set('Content-Type', 'application/json').send(JSON.stringify(request.body));
  } else if (request.body !== undefined) req = req.send(request.body as object);
  return req;
}

const ERROR_CODES: Record<string, number[]> = {
  ValidationError: [400, 413, 415, 431],
  Unauthorized: [401],
  Forbidden: [403],
  NotFound: [404],
  Conflict: [409],
  TooManyRequests: [429],
  Unavailable: [503],
};

/** Why an answer breaks the contract, or undefined when it keeps it. */
export function checkAnswer(status: number, contentType: string | undefined, body: unknown, text: string): string | undefined {
  if (status >= 500 && status !== 503) return `${status}: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  if (!contentType?.startsWith('application/json')) return `${status} answered ${contentType}: ${text.slice(0, 200)}`;
  const b = body as { error?: unknown; message?: unknown; details?: unknown };
  const keys = b && typeof b === 'object' ? Object.keys(b).sort().join(',') : '';
  if (keys !== 'details,error,message') return `${status} not in the error shape: ${text.slice(0, 200)}`;
  if (typeof b.message !== 'string' || !b.message) return `${status} without a message: ${text.slice(0, 200)}`;
  if (!ERROR_CODES[b.error as string]?.includes(status)) return `${status} with error ${String(b.error)}`;
  const details = b.details as unknown[];
  if (
    !Array.isArray(details) ||
    !details.every((d) => d && typeof (d as any).field === 'string' && typeof (d as any).message === 'string')
  ) {
    return `${status} with details not [{ field, message }]: ${text.slice(0, 200)}`;
  }
  return undefined;
}

/** One statement that counts the rows of every table, so a before/after costs two round trips. */
export async function rowCounter(dataSource: DataSource): Promise<() => Promise<Record<string, number>>> {
  const tables: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const sql = `SELECT ${tables.map((t, i) => `(SELECT count(*) FROM "${t.table_name}")::int AS c${i}`).join(', ')}`;
  return async () => {
    const [row] = await dataSource.query(sql);
    return Object.fromEntries(tables.map((t, i) => [t.table_name, row[`c${i}`]]));
  };
}

/**
 * Tables whose rows changed in number. `idempotency_keys` is left out: it records the answer to
 * a keyed request whatever the answer, refusals included (that is its purpose, not a write).
 */
export const changedTables = (before: Record<string, number>, after: Record<string, number>) =>
  Object.keys(after)
    .filter((table) => table !== 'idempotency_keys' && before[table] !== after[table])
    .map((table) => `${table} ${before[table]} → ${after[table]}`);
