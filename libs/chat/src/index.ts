export * from './flow/steps';
export * from './flow/conversation';
export * from './read-message';
export * from './replies';
export { FAQ_INTENTS, faqIntent } from './parse/intents';
export { parseBirthDate } from './parse/dates';
export { parsePlace, pickPlace } from './parse/places';
export { parseContact } from './parse/contact';
export { parseFirstName } from './parse/names';
