export * from './context';
export * from './format';
export * from './professional';
export * from './render';
export * from './youth';
