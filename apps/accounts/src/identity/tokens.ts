/** Injection tokens of the accounts app. */
export const UOW = Symbol('UnitOfWork');
export const OUTBOX = Symbol('Outbox');
export const HASHER = Symbol('PasswordHasher');
export const ACCOUNTS_CONFIG = Symbol('AccountsConfig');
