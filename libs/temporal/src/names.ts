/**
 * Names shared by the API, the worker and the workflows. Pure (no Node APIs): workflow code
 * imports this file by relative path.
 */
export const TASK_QUEUE = 'journeys';

export const journeyWorkflowId = (caseId: string) => `journey-${caseId}`;
export const referralWorkflowId = (caseId: string, attempt: number) => `referral-${caseId}-${attempt}`;
export const chatWorkflowId = (conversationId: string) => `chat-${conversationId}`;
