export { journeyWorkflow } from './journey.workflow';
export { referralWorkflow } from './referral.workflow';
