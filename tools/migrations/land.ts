/** `npm run migrations:land`: records new migrations and helper versions in tools/migrations/landed.json. */
import path from 'node:path';
import { findRepoRoot } from '../stack/config';
import { landNew, MANIFEST } from './landed';

const root = findRepoRoot(path.resolve(__dirname));
// `npm run migrations:land -- <file>…` lands only the named files (others' drafts stay unlanded).
const { added, problems } = landNew(root, process.argv.slice(2));
if (problems.length) {
  console.error(`Not landing anything: ${problems.length} landed file(s) changed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(added.length ? `Added to ${MANIFEST}:\n  ${added.join('\n  ')}` : `${MANIFEST} is up to date.`);
