import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORIES_DIR } from './support/history';

/**
 * Representative histories (saved by the journey and chat tests with SAVE_HISTORIES=1) replayed with
 * today's workflow code: a change that is not deterministic for running journeys fails here.
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
});
