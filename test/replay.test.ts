import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AesGcmPayloadCodec, dataConverter } from '@walt/temporal';
import { encodeHistoryPayloads, HISTORIES_DIR } from './support/history';

/**
 * Representative histories (saved by the journey and chat tests with SAVE_HISTORIES=1) replayed with
 * today's workflow code: a change that is not deterministic for running journeys fails here.
 * They are saved decoded (payloads in clear, test data only), so replaying them needs no key; the
 * last case encrypts them as the server stores them and replays through the codec.
 */
describe('replay of saved journey and chat histories', () => {
  const files = readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has histories of journeys, referrals and chat conversations to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'journey-happy-path.json',
        'referral-accepted.json',
        'journey-unreachable.json',
        'chat-happy-path.json',
        'chat-expired.json',
      ]),
    );
  });

  it('replays every one of them without a non-determinism error', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }));
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
    const options = bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../workflows') };
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(options, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('replays them as stored by the server, encrypted, through the codec the worker uses', async () => {
    const codec = new AesGcmPayloadCodec({ keys: new Map([['replay', randomBytes(32)]]), currentKeyId: 'replay' });
    const histories = await Promise.all(
      ['journey-happy-path.json', 'referral-accepted.json', 'chat-happy-path.json'].map(async (file) => {
        const saved = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
        const encoded = await encodeHistoryPayloads(saved, codec);
        const input = saved.events[0].workflowExecutionStartedEventAttributes.input.payloads[0].data; // base64 of its JSON
        expect(JSON.stringify(encoded)).not.toContain(input);
        return { workflowId: file.replace(/\.json$/, ''), history: historyFromJSON(encoded) };
      }),
    );
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
    const options = bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../workflows') };
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ ...options, dataConverter: dataConverter(codec) }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
