import { SupportInit1796095403571 } from './1796095403571-support';
import { SupportDesk1796500000000 } from './1796500000000-support-desk';

/** Every support migration, in order. Never edit one that has landed: add a new one. */
export const supportMigrations = [SupportInit1796095403571, SupportDesk1796500000000];
