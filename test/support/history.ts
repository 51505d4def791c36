import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { payloadCodec } from '@walt/temporal';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ENV } from './services';

/** The whole history of a workflow as text, payloads decoded, to search for personal data. */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  // The server holds ciphertext (codec.ts): scan what the payloads say once decrypted, or the scan would prove nothing.
  const history = await decryptedPayloads(await client.workflow.getHandle(workflowId).fetchHistory(), payloadCodec());
  return JSON.stringify(history, (_, value) =>
    value instanceof Uint8Array || (value && value.type === 'Buffer') ? Buffer.from(value.data ?? value).toString('utf8') : value,
  );
}

/** A fetched history (protobuf objects) with each encrypted payload replaced by its clear one. */
async function decryptedPayloads(node: unknown, codec: PayloadCodec): Promise<unknown> {
  if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return node;
  if (Array.isArray(node)) return Promise.all(node.map((item) => decryptedPayloads(item, codec)));
  const metadata = (node as Payload).metadata;
  if (metadata && ArrayBuffer.isView(metadata.encoding)) return (await codec.decode([node as Payload]))[0];
  const entries = await Promise.all(Object.entries(node).map(async ([k, v]) => [k, await decryptedPayloads(v, codec)] as const));
  return Object.fromEntries(entries);
}

/** The values of a form that identify a person, as they could appear in a history. */
export function personalValues(form: { firstName: string; lastName: string; email?: string; phone?: string; birthDate: string }): string[] {
  // The phone as typed and as stored (E.164). Not its bare 9 digits: any 9-digit run matches
  // them, such as the nanoseconds of a history's timestamps (a false leak seen once in a run).
  const e164 = form.phone && `+33${form.phone.replace(/\D/g, '').replace(/^0/, '')}`;
  return [form.firstName, form.lastName, form.email, form.phone, e164, form.birthDate].filter((v): v is string => Boolean(v));
}

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * Saves a history for the replay test (run the journey tests with SAVE_HISTORIES=1 to refresh),
 * exported by the Temporal CLI as the UI and `temporal workflow show` write it.
 */
export async function saveHistory(workflowId: string, name: string): Promise<void> {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli) throw new Error('SAVE_HISTORIES needs TEMPORAL_CLI (set by infra/test.sh)');
  const json = execFileSync(cli, [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--address',
    TEST_ENV.temporalAddress,
    '--output',
    'json',
  ]);
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // Saved decoded: the replay needs no key (these histories hold test data only, never a person).
  const decoded = await decodeHistoryPayloads(JSON.parse(json.toString('utf8')), payloadCodec());
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(decoded, null, 2));
}

type JsonPayload = { metadata?: Record<string, string>; data?: string };
const isJsonPayload = (v: unknown): v is JsonPayload =>
  Boolean(v && typeof v === 'object' && 'metadata' in v && typeof (v as JsonPayload).metadata?.encoding === 'string');
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  ...(p.data?.length ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

// Search attributes are indexed by the server and headers carry interceptor context: no codec touches
// them. Nor the `data` of a local activity's marker, nor the `patch-data` of a patch marker, which the
// SDK's core writes and reads itself.
const notEncoded = (key: string, parentKey?: string) =>
  key === 'searchAttributes' || key === 'header' || (parentKey === 'details' && (key === 'data' || key === 'patch-data'));

/** Every payload of a history as the CLI writes it (JSON), passed through `transform` (a codec's encode or decode). */
async function mapHistoryPayloads(node: unknown, transform: (p: Payload[]) => Promise<Payload[]>, parentKey?: string): Promise<unknown> {
  if (Array.isArray(node)) return Promise.all(node.map((item) => mapHistoryPayloads(item, transform)));
  if (isJsonPayload(node)) return toJson((await transform([fromJson(node)]))[0]);
  if (node && typeof node === 'object') {
    const entries = await Promise.all(
      Object.entries(node).map(async ([k, v]) => [k, notEncoded(k, parentKey) ? v : await mapHistoryPayloads(v, transform, k)] as const),
    );
    return Object.fromEntries(entries);
  }
  return node;
}

export const decodeHistoryPayloads = (history: unknown, codec: PayloadCodec) => mapHistoryPayloads(history, (p) => codec.decode(p));
export const encodeHistoryPayloads = (history: unknown, codec: PayloadCodec) => mapHistoryPayloads(history, (p) => codec.encode(p));
