import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

/**
 * The acceptance type test of the API contract: generates a client from a document
 * (openapi-typescript, what partners run) and compiles a file that fails for every
 * operation whose success or error body the client would type as `unknown` or `never`
 * (openapi-fetch's own `data` and `error` types; `undefined` is what it gives a body the document does not describe). Returns the compiler's complaints ([]: all typed).
 */
export async function untypedOperations(document: unknown, root: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'steward-client-types-'));
  try {
    await writeFile(path.join(dir, 'openapi.json'), JSON.stringify(document));
    await promisify(execFile)(path.join(root, 'node_modules/.bin/openapi-typescript'), [path.join(dir, 'openapi.json'), '--output', path.join(dir, 'schema.ts')], { timeout: 60_000 });
    await writeFile(path.join(dir, 'check.ts'), CHECK);
    const program = ts.createProgram([path.join(dir, 'check.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: [],
      typeRoots: [],
      paths: { 'openapi-typescript-helpers': [path.join(root, 'node_modules/openapi-typescript-helpers/dist/index.d.ts')] },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// openapi-fetch types `data` as SuccessResponse<...> and `error` as ErrorResponse<...> of the operation's responses.
const CHECK = `
import type { ErrorResponse, ResponseObjectMap, SuccessResponse } from 'openapi-typescript-helpers';
import type { operations } from './schema';

type IsUntyped<T> = [T] extends [never] ? true : unknown extends T ? true : [T] extends [undefined | null | void] ? true : false;
type Data<K extends keyof operations> = SuccessResponse<ResponseObjectMap<operations[K]>>;
type Failure<K extends keyof operations> = ErrorResponse<ResponseObjectMap<operations[K]>>;

type UntypedData = { [K in keyof operations]: IsUntyped<Data<K>> extends true ? K : never }[keyof operations];
type UntypedError = { [K in keyof operations]: IsUntyped<Failure<K>> extends true ? K : never }[keyof operations];
type ProblemWithoutCode = { [K in keyof operations]: Failure<K> extends { code: string } ? never : K }[keyof operations];

export const everyDataTyped: [UntypedData] extends [never] ? true : { untypedData: UntypedData } = true;
export const everyErrorTyped: [UntypedError] extends [never] ? true : { untypedError: UntypedError } = true;
export const everyErrorHasCode: [ProblemWithoutCode] extends [never] ? true : { errorWithoutCode: ProblemWithoutCode } = true;
export const operationCount: keyof operations = '' as keyof operations;
`;
