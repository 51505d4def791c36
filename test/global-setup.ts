import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workflowBundleOptions } from '../apps/worker/src/build-bundle';

/**
 * Bundles the workflows once for the whole run (each test file's worker loads the bundle
 * instead of re-bundling), exactly as production loads a pre-built bundle.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.WORKFLOW_BUNDLE_PATH) return;
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ warn: console.warn, error: console.error }));
  const dir = join(tmpdir(), 'walt-test');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `workflow-bundle-${process.pid}.js`);
  writeFileSync(path, code);
  process.env.WORKFLOW_BUNDLE_PATH = path;
}
