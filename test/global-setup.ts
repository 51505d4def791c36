import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Bundles the workflows once for the whole run (each test file's worker loads the bundle
 * instead of re-bundling), exactly as production loads a pre-built bundle.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.WORKFLOW_BUNDLE_PATH) return;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    ignoreModules: ['typeorm', 'pg'],
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
  });
  const dir = join(tmpdir(), 'walt-test');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `workflow-bundle-${process.pid}.js`);
  writeFileSync(path, code);
  process.env.WORKFLOW_BUNDLE_PATH = path;
}
