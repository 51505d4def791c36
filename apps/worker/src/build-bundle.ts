import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What the worker leaves out of the workflow bundle: libraries that do I/O, never used by workflow code. */
export const WORKFLOW_BUNDLE_IGNORED_MODULES = ['typeorm', 'pg'];

/**
 * What every bundle of the workflows is made of, the pre-built one included: the workflows, and
 * the simulated clock of what-if runs, which acts only on a simulated run's task queue (a worker
 * of a run may load the production bundle).
 */
export const WORKFLOWS_PATH = require.resolve('../../../workflows');
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/simulation-clock')];

export function workflowBundleOptions(logger: { warn: (m: string) => void; error: (m: string) => void }) {
  return {
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    ignoreModules: WORKFLOW_BUNDLE_IGNORED_MODULES,
    logger: { trace() {}, debug() {}, info() {}, log() {}, ...logger } as never,
  };
}

/**
 * `npm run build` ends here: the workflow code bundled once into dist/workflow-bundle.js, which
 * every production worker loads (WORKFLOW_BUNDLE_PATH) instead of running webpack at start, so all
 * replicas of a release run byte-identical workflow code.
 */
async function main(out = resolve(__dirname, '../../../workflow-bundle.js')) {
  const started = Date.now();
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ warn: console.warn, error: console.error }));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`[build] workflow bundle ${out} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)`);
}

if (require.main === module) {
  main(process.argv[2]).catch((err) => {
    console.error(`[build] ${err.message}`);
    process.exit(1);
  });
}
