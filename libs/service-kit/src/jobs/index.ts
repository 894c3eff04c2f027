export * from './job';
export * from './job-queue';
export * from './job-runner';
