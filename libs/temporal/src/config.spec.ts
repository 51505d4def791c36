import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionOptions, describeTemporal, temporalConfig, TemporalConfigError } from './config';

describe('temporalConfig: the Temporal connection read and checked at start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'walt-temporal-config-'));
  const file = (name: string, content: string) => (writeFileSync(join(dir, name), content), join(dir, name));
  const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      temporalConfig(env);
    } catch (err) {
      if (err instanceof TemporalConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('defaults to the local dev server, without TLS', () => {
    const config = temporalConfig({});
    expect(config).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', tls: false });
    expect(connectionOptions(config).tls).toBeUndefined();
  });

  it('an API key (Temporal Cloud) implies TLS and is never printed', () => {
    const config = temporalConfig({
      TEMPORAL_ADDRESS: 'walt.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'walt.a1b2c',
      TEMPORAL_API_KEY: 'sekret',
    });
    expect(config).toMatchObject({ tls: true, apiKey: 'sekret' });
    expect(describeTemporal(config)).toBe('walt.a1b2c.tmprl.cloud:7233 (namespace walt.a1b2c, TLS, API key)');
  });

  it('mTLS reads the certificate and key files, with the server CA and name when given', () => {
    const config = temporalConfig({
      TEMPORAL_TLS_CERT_PATH: cert,
      TEMPORAL_TLS_KEY_PATH: key,
      TEMPORAL_TLS_CA_PATH: cert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const tls = connectionOptions(config).tls as Record<string, unknown>;
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(String((tls.clientCertPair as { key: Buffer }).key)).toContain('PRIVATE KEY');
    expect(tls.serverRootCACertificate).toBeInstanceOf(Buffer);
  });

  it('names every problem at once, each with its variable', () => {
    const problems = problemsOf({
      TEMPORAL_ADDRESS: 'http://temporal:7233',
      TEMPORAL_NAMESPACE: 'my namespace',
      TEMPORAL_TLS: 'yes',
      TEMPORAL_TLS_CERT_PATH: join(dir, 'missing.pem'),
    });
    expect(problems).toEqual([
      expect.stringContaining('TEMPORAL_ADDRESS must be host:port'),
      expect.stringContaining('TEMPORAL_NAMESPACE "my namespace"'),
      expect.stringContaining('TEMPORAL_TLS must be true or false'),
      expect.stringContaining('both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH'),
      expect.stringMatching(/TEMPORAL_TLS_CERT_PATH=.*missing\.pem cannot be read \(ENOENT\)/),
    ]);
  });

  it('refuses contradictions: a key file that is a certificate, an API key with a certificate, TLS off with TLS settings', () => {
    expect(problemsOf({ TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: cert })).toEqual([
      expect.stringContaining('TEMPORAL_TLS_KEY_PATH'),
    ]);
    expect(problemsOf({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: key })).toEqual([
      expect.stringContaining('either TEMPORAL_API_KEY or a client certificate'),
    ]);
    expect(problemsOf({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x' })).toEqual([
      expect.stringContaining('TEMPORAL_TLS=false contradicts'),
    ]);
    expect(problemsOf({ TEMPORAL_ADDRESS: '127.0.0.1:99999' })).toEqual([expect.stringContaining('TEMPORAL_ADDRESS')]);
  });
});
