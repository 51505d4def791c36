import type { Client } from '@temporalio/client';

/** The whole history of a workflow as text, payloads decoded, to search for personal data. */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, (_, value) =>
    value instanceof Uint8Array || (value && value.type === 'Buffer') ? Buffer.from(value.data ?? value).toString('utf8') : value,
  );
}
