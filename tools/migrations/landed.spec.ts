import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLanded, landNew } from './landed';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('landed migrations never change', () => {
  it('holds for this repository: every migration and frozen helper matches its recorded checksum', () => {
    expect(checkLanded(repoRoot)).toEqual([]);
  });

  describe('on a scratch workspace', () => {
    let root: string;
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    const MIGRATION = 'apps/svc/src/migrations/1700000000000-first.ts';
    const HELPER = 'libs/persistence/src/migration-helpers/v1.ts';

    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'steward-landed-'));
      write(HELPER, "export function enableTenantRls(): void {}\nexport const TENANT_PREDICATE = 'x';\n");
      write(MIGRATION, "import { MigrationInterface } from 'typeorm';\nimport { enableTenantRls } from '@steward/persistence';\nexport class First implements MigrationInterface {}\n");
      write('apps/svc/src/migrations/index.ts', 'export const all = [];\n');
      expect(landNew(root)).toEqual({ added: [HELPER, MIGRATION], problems: [] });
      expect(checkLanded(root)).toEqual([]);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('reports an edited migration, and landing refuses until it is restored', () => {
      write(MIGRATION, "import { MigrationInterface } from 'typeorm';\nexport class First implements MigrationInterface { extra = 1 }\n");
      expect(checkLanded(root)).toEqual([`landed migration ${MIGRATION} was edited: restore it and write a new migration for the change`]);
      expect(landNew(root).problems).toHaveLength(1);
    });

    it('reports an edited or removed frozen helper', () => {
      write(HELPER, "export function enableTenantRls(): void { /* changed */ }\nexport const TENANT_PREDICATE = 'x';\n");
      expect(checkLanded(root)).toEqual([expect.stringContaining(`frozen helper ${HELPER} was edited`)]);
      rmSync(path.join(root, HELPER));
      expect(checkLanded(root)).toContain(`frozen helper ${HELPER} was removed: landed migrations call it; restore it`);
    });

    it('asks to land a new migration, then accepts it', () => {
      const next = 'apps/svc/src/migrations/1700000000001-second.ts';
      write(next, "import { TENANT_PREDICATE } from '@steward/persistence';\nexport const x = TENANT_PREDICATE;\n");
      expect(checkLanded(root)).toEqual([expect.stringContaining(`migration ${next} is not in`)]);
      expect(landNew(root).added).toEqual([next]);
      expect(checkLanded(root)).toEqual([]);
    });

    it('lands only the named files, leaving a colleague\'s draft unlanded', () => {
      const mine = 'apps/svc/src/migrations/1700000000003-mine.ts';
      const draft = 'apps/svc/src/migrations/1700000000004-draft.ts';
      write(mine, "import { TENANT_PREDICATE } from '@steward/persistence';\nexport const x = TENANT_PREDICATE;\n");
      write(draft, "import { local } from './wip';\nexport const y = local;\n");
      expect(landNew(root, [mine])).toEqual({ added: [mine], problems: [] });
      expect(checkLanded(root)).toEqual([expect.stringContaining(`migration ${draft} is not in`), `${draft} imports ./wip: a migration may import only typeorm and frozen helpers`]);
    });

    it('refuses a migration that calls something other than a frozen helper', () => {
      const next = 'apps/svc/src/migrations/1700000000002-third.ts';
      write(next, "import { uuidv7 } from '@steward/persistence';\nimport { local } from './helpers';\nexport const x = [uuidv7, local];\n");
      const imports = [
        `${next} imports uuidv7 from @steward/persistence, which is not a frozen migration helper`,
        `${next} imports ./helpers: a migration may import only typeorm and frozen helpers`,
      ];
      // Not landed either: landing refuses a migration that could change under it.
      expect(landNew(root)).toEqual({ added: [], problems: imports });
      expect(checkLanded(root)).toEqual([expect.stringContaining(`migration ${next} is not in`), ...imports]);
    });
  });
});
