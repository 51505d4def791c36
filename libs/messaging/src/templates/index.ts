export * from './context';
export * from './render';
export { EMAIL_STOP, SMS_STOP } from './youth';
