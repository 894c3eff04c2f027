import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveCursorKey, resolveJwtSecret } from './secrets';

describe('the cursor key of the local stack', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-cursor-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once next to the other secrets (mode 0600) and read back, keeping them', () => {
    const file = path.join(dir, 'secrets.json');
    const jwt = resolveJwtSecret(file);
    const first = resolveCursorKey(file);
    expect(first.source).toBe('generated');
    expect(first.value.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveCursorKey(file)).toEqual({ value: first.value, source: 'file' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ jwtSecret: jwt.value, cursorKey: first.value });
  });

  it('comes from STEWARD_CURSOR_KEY when set, which must be long enough', () => {
    const file = path.join(dir, 'secrets.json');
    expect(resolveCursorKey(file, 'c'.repeat(32))).toEqual({ value: 'c'.repeat(32), source: 'env' });
    expect(() => resolveCursorKey(file, 'short')).toThrow(/at least 32/);
  });
});
