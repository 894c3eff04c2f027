import './instrument';
import { runServiceProcess } from '@steward/telemetry';
import { startAccounts } from './bootstrap';
import { loadAccountsConfig } from './config';

runServiceProcess('accounts', () => startAccounts(loadAccountsConfig()));
