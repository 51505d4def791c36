import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Every payload Temporal stores (workflow inputs, activity arguments and results, signals,
 * updates, queries, memos, failure details) is encrypted here before it leaves the process, so
 * Temporal's database holds no case id, no code and no policy in clear. Search attributes are
 * not payloads a codec sees: they hold stage, segment and département codes only (never personal data).
 *
 * Format, as in Temporal's encryption sample: metadata `encoding: binary/encrypted` and
 * `encryption-key-id: <id>`; data = 12-byte IV ‖ AES-256-GCM ciphertext of the original payload
 * (protobuf) ‖ 16-byte tag. The key id lets an old history be read after the key has rotated.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes?: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export interface CodecKeys {
  /** Key id → 32-byte AES key. */
  keys: Map<string, Buffer>;
  /** The key new payloads are encrypted with; the others only decrypt. */
  currentKeyId: string;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly config: CodecKeys) {
    for (const [id, key] of config.keys)
      if (key.length !== 32) throw new Error(`Codec key ${id} must be 32 bytes (AES-256), not ${key.length}.`);
    if (!config.keys.has(config.currentKeyId))
      throw new Error(`The current codec key ${config.currentKeyId} is not among the configured keys.`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.config.currentKeyId;
    const key = this.config.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // A payload written before the codec existed (or by a client without it) is read as it is.
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = keyId ? this.config.keys.get(keyId) : undefined;
      if (!key)
        throw new Error(`No codec key with id ${keyId ?? '(none)'} is configured: add it to TEMPORAL_CODEC_KEYS to read this payload.`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      const { metadata, data: clear } = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: { ...metadata }, data: clear }; // a plain payload, as the SDK's converters build them
    });
  }
}

/**
 * Keys from the environment: TEMPORAL_CODEC_KEYS = `id:base64key,id:base64key` (32 bytes each;
 * `openssl rand -base64 32`), TEMPORAL_CODEC_KEY_ID = the one that encrypts (default: the first).
 * Rotation: put the new key first (or name it), keep the old ones until no history needs them.
 *
 * Without keys, development and tests use a key generated once into `$WALT_DATA/temporal-codec.key`
 * (`.data/` is never committed), shared by the API and the worker of the same checkout.
 * Production refuses to start without configured keys.
 */
export function codecKeys(env: NodeJS.ProcessEnv = process.env): CodecKeys {
  const configured = (env.TEMPORAL_CODEC_KEYS ?? '').trim();
  if (!configured) {
    if (env.NODE_ENV === 'production')
      throw new Error('TEMPORAL_CODEC_KEYS is required in production (id:base64key,…; generate a key with `openssl rand -base64 32`).');
    return { keys: new Map([[DEV_KEY_ID, devKey(env)]]), currentKeyId: DEV_KEY_ID };
  }
  const keys = new Map<string, Buffer>();
  for (const entry of configured
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    if (at <= 0) throw new Error('TEMPORAL_CODEC_KEYS entries are id:base64key, separated by commas.');
    keys.set(entry.slice(0, at), Buffer.from(entry.slice(at + 1), 'base64'));
  }
  const currentKeyId = env.TEMPORAL_CODEC_KEY_ID || [...keys.keys()][0];
  return { keys, currentKeyId };
}

export const DEV_KEY_ID = 'dev-local';

function devKey(env: NodeJS.ProcessEnv): Buffer {
  const path = join(resolve(env.WALT_DATA || '.data'), 'temporal-codec.key');
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch {
    mkdirSync(dirname(path), { recursive: true });
    try {
      // `wx`: when the API and the worker start together, the first one writes and both read its key.
      writeFileSync(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  }
}

let shared: AesGcmPayloadCodec | undefined;

/** The codec of this process, from its environment (read once). */
export function payloadCodec(): AesGcmPayloadCodec {
  return (shared ??= new AesGcmPayloadCodec(codecKeys()));
}

/** The data converter the API, the worker and the tests give Temporal. */
export function dataConverter(codec: PayloadCodec = payloadCodec()) {
  return { payloadCodecs: [codec] };
}
