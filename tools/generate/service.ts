/** `npm run generate:service -- <name>`: see service-generator.ts. */
import path from 'node:path';
import { findRepoRoot } from '../stack/config';
import { generateService } from './service-generator';

const name = process.argv[2] ?? '';
const root = findRepoRoot(path.resolve(__dirname));
try {
  const g = generateService({ root, name });
  console.log(`Generated the ${name} service (local ops port ${g.opsPort}).`);
  console.log(`Created:\n  ${g.created.join('\n  ')}`);
  console.log(`Added it to:\n  ${g.edited.join('\n  ')}`);
  console.log(`Next: npm start (it runs ${name} with the others), npx jest --testPathPatterns apps/${name}; then replace the sample feature.`);
} catch (err) {
  console.error(`generate:service: ${err instanceof Error ? err.message : String(err)}`);
  console.error('usage: npm run generate:service -- <name>   (e.g. support)');
  process.exit(1);
}
