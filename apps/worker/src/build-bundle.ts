import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What the worker leaves out of the workflow bundle: libraries that do I/O, never used by workflow code. */
export const WORKFLOW_BUNDLE_IGNORED_MODULES = ['typeorm', 'pg'];

/**
 * `npm run build` ends here: the workflow code bundled once into dist/workflow-bundle.js, which
 * every production worker loads (WORKFLOW_BUNDLE_PATH) instead of running webpack at start, so all
 * replicas of a release run byte-identical workflow code.
 */
async function main(out = resolve(__dirname, '../../../workflow-bundle.js')) {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    ignoreModules: WORKFLOW_BUNDLE_IGNORED_MODULES,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
  });
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
