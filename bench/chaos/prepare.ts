import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../apps/worker/src/build-bundle';
import type { DataSource } from 'typeorm';
import { DEFAULT_POLICY, Policy } from '../../libs/domain/src';
import { loadSeedPartnersIfEmpty } from '../../libs/directory/src';
import { PoliciesRepository } from '../../libs/persistence/src';

/**
 * Compressed: a journey runs in a minute or two; quiet hours never (start = end). The expiry
 * leaves a partner (a client polling every half second, behind a fault's stall) time to answer.
 */
export function chaosPolicy(referralExpiresAfter = 'PT60S'): Policy {
  return {
    ...DEFAULT_POLICY,
    nudgeOffsets: ['PT0S', 'PT60S'],
    escalateUnresponsiveAfter: 'PT600S',
    closeUnreachableAfter: 'PT1200S',
    partnerReminderAfter: 'PT5S',
    referralExpiresAfter,
    maxReferralAttempts: 3,
    appointmentReminderBefore: 'PT1S',
    checkInOffsets: ['PT2S', 'PT4S', 'PT6S'],
    quietHours: { start: '00:00', end: '00:00' },
  };
}

/** The schema, the partners and the run's policy as the current one, on a fresh database. */
export async function prepareDatabase(db: DataSource, policy: Policy): Promise<void> {
  await db.runMigrations({ transaction: 'each' });
  await loadSeedPartnersIfEmpty(db);
  await new PoliciesRepository(db).create(policy, 'chaos');
}

/** The workflows bundled once, so every worker start loads it instead of running webpack. */
export async function writeWorkflowBundle(path: string): Promise<void> {
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ warn: console.warn, error: console.error }));
  writeFileSync(path, code);
}
