export * from './config';
export * from './tokens';
export * from './handlers';
export * from './service';
export * from './process';
