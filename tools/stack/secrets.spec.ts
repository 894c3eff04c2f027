import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveContextKey, resolveJwtSecret, resolveOperatorToken } from './secrets';

describe('secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the JWT secret once, mode 0600, and reads it back', () => {
    const file = path.join(dir, 'nested', 'secrets.json');
    const first = resolveJwtSecret(file);
    expect(first.source).toBe('generated');
    expect(first.value.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = resolveJwtSecret(file);
    expect(second).toEqual({ value: first.value, source: 'file' });
  });

  it('prefers the environment and writes nothing', () => {
    const file = path.join(dir, 'secrets.json');
    expect(resolveJwtSecret(file, 'x'.repeat(32))).toEqual({ value: 'x'.repeat(32), source: 'env' });
    expect(() => readFileSync(file)).toThrow();
  });

  it('rejects short or broken secrets', () => {
    expect(() => resolveJwtSecret(path.join(dir, 's.json'), 'short')).toThrow(/at least 32/);
    const file = path.join(dir, 'secrets.json');
    writeFileSync(file, 'not json');
    expect(() => resolveJwtSecret(file)).toThrow(/not valid JSON/);
  });

  it('generates the context key once into the same file, keeping the JWT secret, and reads it back', () => {
    const file = path.join(dir, 'secrets.json');
    const jwt = resolveJwtSecret(file);
    const first = resolveContextKey(file);
    expect(first.source).toBe('generated');
    expect(Buffer.byteLength(first.value)).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveContextKey(file)).toEqual({ value: first.value, source: 'file' });
    expect(resolveJwtSecret(file)).toEqual({ value: jwt.value, source: 'file' });
    expect(resolveContextKey(file, 'y'.repeat(32))).toEqual({ value: 'y'.repeat(32), source: 'env' });
    expect(() => resolveContextKey(file, 'short')).toThrow(/at least 32 bytes/);
  });

  it('generates an operator token per run unless given', () => {
    const a = resolveOperatorToken();
    const b = resolveOperatorToken();
    expect(a.source).toBe('generated');
    expect(a.value).not.toBe(b.value);
    expect(resolveOperatorToken('op')).toEqual({ value: 'op', source: 'env' });
  });
});
