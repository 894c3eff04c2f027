// `npm run openapi`: writes the API's OpenAPI document (built from the gateway's code, no
// running platform needed) to libs/api-client/openapi.json and the typed client's types
// generated from it to libs/api-client/src/schema.ts. A test fails when either is stale.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ACCESS_PATH, accessModuleOf, clientTypesOf, DOCUMENT_PATH, documentJson, repoRoot, SCHEMA_PATH } from './client-files';
import { buildOfflineDocument } from './offline';

async function main(): Promise<void> {
  const root = repoRoot();
  const { document, problems } = await buildOfflineDocument();
  if (problems.length) {
    console.error(`The OpenAPI document is incomplete:\n- ${problems.join('\n- ')}`);
    process.exitCode = 1;
  }
  await writeFile(path.join(root, DOCUMENT_PATH), documentJson(document));
  await writeFile(path.join(root, SCHEMA_PATH), await clientTypesOf(document));
  await writeFile(path.join(root, ACCESS_PATH), accessModuleOf(document));
  console.log(`wrote ${DOCUMENT_PATH} (${Object.keys(document.paths).length} paths), ${SCHEMA_PATH} and ${ACCESS_PATH}`);
}

void main().then(
  () => process.exit(),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
