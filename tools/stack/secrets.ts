/**
 * Secrets of the local stack. The JWT secret and the context key are generated once and
 * kept in .steward/secrets.json (mode 0600) so issued tokens survive restarts; the
 * operator token is generated per run unless STEWARD_OPERATOR_TOKEN is set.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MIN_JWT_SECRET_LENGTH = 32;
export const MIN_CONTEXT_KEY_BYTES = 32;

export interface Resolved {
  value: string;
  source: 'env' | 'file' | 'generated';
}

export const generateSecret = (bytes = 48): string => randomBytes(bytes).toString('base64url');

function checkJwtSecret(secret: string, where: string): string {
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new Error(`${where}: STEWARD_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters (got ${secret.length})`);
  }
  return secret;
}

interface SecretsFile {
  jwtSecret?: unknown;
}

export function resolveJwtSecret(file: string, fromEnv?: string): Resolved {
  if (fromEnv !== undefined) return { value: checkJwtSecret(fromEnv, 'environment'), source: 'env' };
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    let parsed: SecretsFile;
    try {
      parsed = JSON.parse(text) as SecretsFile;
    } catch {
      throw new Error(`${file} is not valid JSON: fix or delete it (a new JWT secret is then generated and earlier tokens stop working)`);
    }
    if (typeof parsed.jwtSecret !== 'string') throw new Error(`${file} has no "jwtSecret" string: fix or delete it`);
    return { value: checkJwtSecret(parsed.jwtSecret, file), source: 'file' };
  }
  const value = generateSecret();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ jwtSecret: value }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { value, source: 'generated' };
}

/**
 * The context key every process signs its messages with (STEWARD_CONTEXT_KEY): from the
 * environment, else the `contextKey` of the secrets file, else generated into that file
 * (next to the JWT secret, mode 0600).
 */
export function resolveContextKey(file: string, fromEnv?: string): Resolved {
  const check = (key: string, where: string) => {
    if (Buffer.byteLength(key, 'utf8') < MIN_CONTEXT_KEY_BYTES) throw new Error(`${where}: STEWARD_CONTEXT_KEY must be at least ${MIN_CONTEXT_KEY_BYTES} bytes (got ${Buffer.byteLength(key, 'utf8')})`);
    return key;
  };
  if (fromEnv !== undefined) return { value: check(fromEnv, 'environment'), source: 'env' };
  let stored: Record<string, unknown> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is not valid JSON: fix or delete it`);
  }
  if (typeof stored.contextKey === 'string') return { value: check(stored.contextKey, file), source: 'file' };
  const value = generateSecret();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...stored, contextKey: value }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value, source: 'generated' };
}

/**
 * The key list cursors are signed with (STEWARD_CURSOR_KEY), the same in every service
 * process: from the environment, else the `cursorKey` of the secrets file, else generated
 * into that file, so cursors keep working across restarts of the local stack.
 */
export function resolveCursorKey(file: string, fromEnv?: string): Resolved {
  if (fromEnv !== undefined) {
    if (fromEnv.length < MIN_CURSOR_KEY_LENGTH) throw new Error(`environment: STEWARD_CURSOR_KEY must be at least ${MIN_CURSOR_KEY_LENGTH} characters (got ${fromEnv.length})`);
    return { value: fromEnv, source: 'env' };
  }
  let stored: Record<string, unknown> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is not valid JSON: fix or delete it`);
  }
  if (typeof stored.cursorKey === 'string' && stored.cursorKey.length >= MIN_CURSOR_KEY_LENGTH) return { value: stored.cursorKey, source: 'file' };
  const value = generateSecret();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...stored, cursorKey: value }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value, source: 'generated' };
}

export const MIN_CURSOR_KEY_LENGTH = 32;

export function resolveOperatorToken(fromEnv?: string): Resolved {
  return fromEnv !== undefined ? { value: fromEnv, source: 'env' } : { value: generateSecret(32), source: 'generated' };
}
