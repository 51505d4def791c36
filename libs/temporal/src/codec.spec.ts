import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AesGcmPayloadCodec, codecKeys, DEV_KEY_ID, ENCRYPTED_ENCODING } from './codec';

const key = () => randomBytes(32);
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value)!;
const keysOf = (entries: [string, Buffer][], currentKeyId = entries[0][0]) => ({ keys: new Map(entries), currentKeyId });

describe('AES-256-GCM payload codec', () => {
  const caseId = '0b6f7c52-3c1d-4a57-9c1e-5d2a1e7b9f10';

  it('encrypts a payload so its bytes hold nothing of the value, names its key, and decodes it back', async () => {
    const codec = new AesGcmPayloadCodec(keysOf([['k1', key()]]));
    const [encoded] = await codec.encode([payload({ caseId, segment: 'NEET_LONG' })]);
    expect(Buffer.from(encoded.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(encoded.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const raw = Buffer.concat([encoded.data!, ...Object.values(encoded.metadata!)]).toString('latin1');
    expect(raw).not.toContain(caseId);
    expect(raw).not.toContain('NEET_LONG');
    expect(raw).not.toContain('json/plain');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ caseId, segment: 'NEET_LONG' });
  });

  it('the same value encrypts differently each time (random IV)', async () => {
    const codec = new AesGcmPayloadCodec(keysOf([['k1', key()]]));
    const [a, b] = await codec.encode([payload(caseId), payload(caseId)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('after a rotation, new payloads use the new key and the old ones are still read', async () => {
    const k1 = key();
    const before = new AesGcmPayloadCodec(keysOf([['k1', k1]]));
    const [old] = await before.encode([payload('written before the rotation')]);
    const after = new AesGcmPayloadCodec(
      keysOf([
        ['k2', key()],
        ['k1', k1],
      ]),
    );
    const [fresh] = await after.encode([payload('after')]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('k2');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['written before the rotation', 'after']);
  });

  it('refuses a payload whose key is gone, or whose bytes were changed', async () => {
    const codec = new AesGcmPayloadCodec(keysOf([['k1', key()]]));
    const [encoded] = await codec.encode([payload(caseId)]);
    await expect(new AesGcmPayloadCodec(keysOf([['k2', key()]])).decode([encoded])).rejects.toThrow(/No codec key with id k1/);
    const tampered = Buffer.from(encoded.data!);
    tampered[20] ^= 1;
    await expect(codec.decode([{ ...encoded, data: tampered }])).rejects.toThrow();
  });

  it('passes through a payload that was never encrypted (histories from before the codec)', async () => {
    const codec = new AesGcmPayloadCodec(keysOf([['k1', key()]]));
    const plain = payload({ caseId });
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('codec keys from the environment', () => {
  it('reads id:base64 pairs, the first encrypting unless TEMPORAL_CODEC_KEY_ID names another', () => {
    const [a, b] = [key(), key()];
    const env = { TEMPORAL_CODEC_KEYS: `2026-12:${a.toString('base64')}, 2026-06:${b.toString('base64')}` };
    const keys = codecKeys(env);
    expect(keys.currentKeyId).toBe('2026-12');
    expect(keys.keys.get('2026-06')!.equals(b)).toBe(true);
    expect(codecKeys({ ...env, TEMPORAL_CODEC_KEY_ID: '2026-06' }).currentKeyId).toBe('2026-06');
  });

  it('refuses a key that is not 256 bits, a current key that is not configured, and no key in production', () => {
    expect(() => new AesGcmPayloadCodec(codecKeys({ TEMPORAL_CODEC_KEYS: `k:${randomBytes(16).toString('base64')}` }))).toThrow(/32 bytes/);
    expect(
      () => new AesGcmPayloadCodec(codecKeys({ TEMPORAL_CODEC_KEYS: `k:${key().toString('base64')}`, TEMPORAL_CODEC_KEY_ID: 'x' })),
    ).toThrow(/not among the configured keys/);
    expect(() => codecKeys({ NODE_ENV: 'production' })).toThrow(/TEMPORAL_CODEC_KEYS is required in production/);
  });

  it('outside production, generates one key into the data folder and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'walt-codec-'));
    const first = codecKeys({ NODE_ENV: 'development', WALT_DATA: dir });
    const second = codecKeys({ NODE_ENV: 'development', WALT_DATA: dir });
    expect(first.currentKeyId).toBe(DEV_KEY_ID);
    expect(first.keys.get(DEV_KEY_ID)!.equals(second.keys.get(DEV_KEY_ID)!)).toBe(true);
    expect(Buffer.from(readFileSync(join(dir, 'temporal-codec.key'), 'utf8'), 'base64')).toHaveLength(32);
  });
});
