export * from './codes';
export * from './segment';
export * from './age';
export * from './duration';
export * from './policy';
export * from './journey';
export * from './contact';
export * from './partner';
