/**
 * Names shared by the API, the worker and the workflows. Pure (no Node APIs): workflow code
 * imports this file by relative path.
 */
export const TASK_QUEUE = 'journeys';

export const journeyWorkflowId = (caseId: string) => `journey-${caseId}`;
export const referralWorkflowId = (caseId: string, attempt: number) => `referral-${caseId}-${attempt}`;
export const chatWorkflowId = (conversationId: string) => `chat-${conversationId}`;
export const policySimulationWorkflowId = (simulationId: string) => `policy-simulation-${simulationId}`;
/** Every task queue of a simulated run starts with it (workflows/simulation-clock.ts acts on those only). */
export const SIMULATION_TASK_QUEUE_PREFIX = 'simulation-';
/** Each simulated run has a task queue of its own, so only its worker (and its schema) sees its journeys. */
export const simulationTaskQueue = (simulationId: string, run: string) => `${SIMULATION_TASK_QUEUE_PREFIX}${simulationId}-${run}`;
