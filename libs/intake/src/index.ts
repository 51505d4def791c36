export * from './form-rules';
export * from './intake-messages';
export * from './intake-capture';
export * from './policy-choice';
