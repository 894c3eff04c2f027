// The initial-JavaScript budget, checked on every `npm test` (which builds the portal first).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { INITIAL_JS_BUDGET_BYTES, initialJs } from './budget';

const portalDir = path.resolve(__dirname, '..', '..', 'dist', 'portal');

describe('the portal build', () => {
  it('keeps the initial JavaScript (entry and its static imports, gzip) within 300 KB, and lazy pages out of it', () => {
    expect(existsSync(path.join(portalDir, 'index.html'))).toBe(true);
    const js = initialJs(portalDir);
    expect(js.chunks.length).toBeGreaterThan(0);
    expect(js.chunks.map((c) => c.file).filter((f) => /Page-|Chart-/.test(f))).toEqual([]);
    expect(js.gzip).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });
});
