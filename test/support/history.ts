import type { Client } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ENV } from './services';

/** The whole history of a workflow as text, payloads decoded, to search for personal data. */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, (_, value) =>
    value instanceof Uint8Array || (value && value.type === 'Buffer') ? Buffer.from(value.data ?? value).toString('utf8') : value,
  );
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
export function saveHistory(workflowId: string, name: string): void {
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
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), json);
}
