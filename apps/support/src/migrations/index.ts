import { SupportInit1796095403571 } from './1796095403571-support';

/** Every support migration, in order. Never edit one that has landed: add a new one. */
export const supportMigrations = [SupportInit1796095403571];
