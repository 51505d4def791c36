export { journeyWorkflow } from './journey.workflow';
