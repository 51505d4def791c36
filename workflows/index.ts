export { journeyWorkflow } from './journey.workflow';
export { referralWorkflow } from './referral.workflow';
export { chatIntakeWorkflow } from './chat-intake.workflow';
export { policySimulationWorkflow } from './policy-simulation.workflow';
export { retentionPurgeWorkflow } from './retention.workflow';
export { anonymisationWorkflow } from './anonymisation.workflow';
