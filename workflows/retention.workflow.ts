import { continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_RETENTION, RETENTION_KINDS, RetentionKind, retentionMs } from '../libs/domain/src/retention';
import type { RetentionActivities } from '../activities/retention.activities';
import type { RetentionPurgeInput, RetentionPurgeResult } from './messages';

const { retentionDelays, purgeRetentionBatch } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export const RETENTION_BATCH = 1000;
/** Runs begun before idempotency keys were purged replay without that kind. */
const PURGE_IDEMPOTENCY_KEYS = 'retention-idempotency-keys';

/**
 * The daily purge of operational data past its retention delay (README, "Données et durées de
 * conservation"), started by the `walt-daily-retention` Schedule. The cut-offs are fixed when the
 * run starts (workflow time), then each kind is purged batch by batch until a batch comes back
 * short; a long purge continues as new with the same cut-offs and what it has counted so far.
 */
export async function retentionPurgeWorkflow(input: RetentionPurgeInput = {}): Promise<RetentionPurgeResult> {
  const kinds: readonly RetentionKind[] = patched(PURGE_IDEMPOTENCY_KEYS)
    ? RETENTION_KINDS
    : RETENTION_KINDS.filter((kind) => kind !== 'idempotencyKeys');
  const fixed = input.cutoffs ?? cutoffsFrom({ ...(await retentionDelays()), ...input.delays });
  // A run continued from one begun before that kind existed has no cut-off for it: 24 h from now.
  const cutoffs = { ...cutoffsFrom({ idempotencyKeys: DEFAULT_RETENTION.idempotencyKeys }), ...fixed };
  const batch = input.batchSize ?? RETENTION_BATCH;
  const purged: Record<string, number> = { ...input.purged };
  for (const kind of kinds) {
    if (input.done?.includes(kind)) continue;
    for (;;) {
      const count = await purgeRetentionBatch({ kind, before: cutoffs[kind], batch });
      purged[kind] = (purged[kind] ?? 0) + count;
      if (count < batch) break;
      if (workflowInfo().continueAsNewSuggested) {
        const done = kinds.slice(0, kinds.indexOf(kind));
        await continueAsNew<typeof retentionPurgeWorkflow>({ ...input, cutoffs, purged, done });
      }
    }
  }
  return { cutoffs, purged: purged as Record<RetentionKind, number> };
}

function cutoffsFrom<K extends RetentionKind>(delays: Record<K, string>): Record<K, string> {
  const now = Date.now(); // workflow time: the same on replay
  const entries = (Object.keys(delays) as K[]).map((kind) => {
    const ms = retentionMs(delays[kind]);
    if (ms === null) throw new Error(`retention delay of ${kind} is not a duration: ${delays[kind]}`);
    return [kind, new Date(now - ms).toISOString()];
  });
  return Object.fromEntries(entries) as Record<K, string>;
}
