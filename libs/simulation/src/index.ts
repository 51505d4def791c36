export * from './model';
export * from './history';
export * from './figures';
export * from './request';
