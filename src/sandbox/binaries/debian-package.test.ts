import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MissingToolError } from '../preflight.ts';
import { debianCacheDir, resolveDebianTools, upstreamVersion } from './debian-package.ts';
import { BinaryNotUsableError } from './resolve.ts';

const exec = promisify(execFile);
let scratch: string;
before(async () => { scratch = await mkdtemp(join(tmpdir(), 'debian-package-')); });
after(async () => { await rm(scratch, { recursive: true, force: true }); });

async function executable(dir: string, name: string, text = '#!/bin/sh\n'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, 0o755);
  return path;
}

describe('resolveDebianTools', () => {
  it('takes an env var first, then PATH, where Debian\'s prometheus-alertmanager wins over alertmanager', async () => {
    const dir = await mkdtemp(join(scratch, 'path-'));
    const prometheus = await executable(join(dir, 'bin'), 'prometheus');
    await executable(join(dir, 'bin'), 'alertmanager');
    const debianName = await executable(join(dir, 'bin'), 'prometheus-alertmanager');
    const own = await executable(join(dir, 'own'), 'am');
    const env = { PATH: join(dir, 'bin'), GOPHERGUARD_SANDBOX_CACHE: join(dir, 'cache') };
    const found = await resolveDebianTools({ env });
    assert.deepEqual([found.binaries, found.sources], [{ prometheus, alertmanager: debianName }, { prometheus: 'path', alertmanager: 'path' }]);
    const pinned = await resolveDebianTools({ env: { ...env, GOPHERGUARD_ALERTMANAGER_BIN: own } });
    assert.deepEqual([pinned.binaries.alertmanager, pinned.sources.alertmanager], [own, 'env']);
    await assert.rejects(resolveDebianTools({ env: { ...env, GOPHERGUARD_PROMETHEUS_BIN: '/nonexistent/prometheus' } }), BinaryNotUsableError);
  });

  it('uses an upstream alertmanager on PATH, and the cache for what PATH lacks', async () => {
    const dir = await mkdtemp(join(scratch, 'cache-'));
    const alertmanager = await executable(join(dir, 'bin'), 'alertmanager');
    const env = { PATH: join(dir, 'bin'), GOPHERGUARD_SANDBOX_CACHE: join(dir, 'cache') };
    await executable(join(debianCacheDir(env), 'usr', 'bin'), 'prometheus');
    const found = await resolveDebianTools({ env });
    assert.deepEqual(found.binaries, { prometheus: join(debianCacheDir(env), 'usr/bin/prometheus'), alertmanager });
    assert.deepEqual(found.sources, { prometheus: 'cache', alertmanager: 'path' });
    assert.equal(debianCacheDir(env), join(dir, 'cache', 'prometheus-deb', 'prometheus-2.42.0_alertmanager-0.25.0'));
  });

  it('says in one sentence to apt-get install both packages when it cannot download them', async () => {
    const env = { PATH: '/nonexistent', GOPHERGUARD_SANDBOX_CACHE: join(scratch, 'no-apt') };
    await assert.rejects(resolveDebianTools({ env }), (error: unknown) => error instanceof MissingToolError
      && /^The sandbox needs `prometheus` for the tier-3 sandbox's metrics and alerts, but it is not on PATH: install Debian's packages with `apt-get install prometheus prometheus-alertmanager`, or name the binaries in GOPHERGUARD_PROMETHEUS_BIN and GOPHERGUARD_ALERTMANAGER_BIN\.$/.test(error.message));
  });

  // Debian's dpkg-deb builds and unpacks the packages: every machine the sandbox runs on has it.
  describe('with apt-get download', () => {
    /** A fake apt-get that "downloads" packages built here, and the real dpkg-deb (without /usr/bin on PATH, where prometheus may be). */
    async function fakeApt(dir: string, versions: { prometheus: string; alertmanager: string }, listsEmpty = false): Promise<NodeJS.ProcessEnv> {
      const repo = join(dir, 'repo');
      for (const [pkg, version, binary] of [
        ['prometheus', versions.prometheus, 'prometheus'], ['prometheus-alertmanager', versions.alertmanager, 'prometheus-alertmanager'],
      ] as const) {
        const root = join(dir, 'build', pkg);
        await executable(join(root, 'usr', 'bin'), binary, `#!/bin/sh\necho ${binary} ${version}\n`);
        await mkdir(join(root, 'DEBIAN'));
        await writeFile(join(root, 'DEBIAN', 'control'), `Package: ${pkg}\nVersion: ${version}\nArchitecture: all\nMaintainer: test <t@example.invalid>\nDescription: test\n`);
        await mkdir(repo, { recursive: true });
        await exec('dpkg-deb', ['--root-owner-group', '--build', root, join(repo, `${pkg}_${version}_all.deb`)]);
      }
      const bin = join(dir, 'bin');
      // Like apt-get on a fresh machine when listsEmpty: download fails until update has run.
      const lists = join(dir, 'lists-fetched');
      await executable(bin, 'apt-get', [
        '#!/bin/sh',
        `if [ "$1" = update ]; then : > ${lists}; exit 0; fi`,
        '[ "$1" = download ] || exit 100',
        ...(listsEmpty ? [`[ -e ${lists} ] || { echo "E: Unable to locate package prometheus" >&2; exit 100; }`] : []),
        `cp ${repo}/*.deb .`,
        '',
      ].join('\n'));
      for (const tool of ['sh', 'cp', 'tar', 'dpkg-deb']) {
        const { stdout } = await exec('sh', ['-c', `command -v ${tool}`]);
        await symlink(stdout.trim(), join(bin, tool));
      }
      return { PATH: bin, GOPHERGUARD_SANDBOX_CACHE: join(dir, 'cache') };
    }

    it('unpacks both packages into the cache once, then finds them there', async () => {
      const dir = await mkdtemp(join(scratch, 'download-'));
      const env = await fakeApt(dir, { prometheus: '2.42.0+ds-5+deb12u1', alertmanager: '0.25.0-1+b4' });
      const lines: string[] = [];
      const first = await resolveDebianTools({ env, report: (line) => lines.push(line) });
      assert.deepEqual(first.sources, { prometheus: 'downloaded', alertmanager: 'downloaded' });
      assert.equal(first.binaries.alertmanager, join(debianCacheDir(env), 'usr/bin/prometheus-alertmanager'));
      assert.equal((await exec(first.binaries.prometheus)).stdout.trim(), 'prometheus 2.42.0+ds-5+deb12u1');
      assert.match(lines.join('\n'), /downloading Debian's prometheus and prometheus-alertmanager with apt-get/);
      const second = await resolveDebianTools({ env });
      assert.deepEqual(second.sources, { prometheus: 'cache', alertmanager: 'cache' });
    });

    it('on a machine without package lists, runs apt-get update first when it may (root), and says why it cannot otherwise', async () => {
      const dir = await mkdtemp(join(scratch, 'no-lists-'));
      const env = await fakeApt(dir, { prometheus: '2.42.0+ds-5+deb12u1', alertmanager: '0.25.0-1+b4' }, true);
      await assert.rejects(resolveDebianTools({ env: { ...env, GOPHERGUARD_APT_UPDATE: 'false' } }), (error: unknown) => error instanceof MissingToolError
        && /apt-get install prometheus prometheus-alertmanager/.test(error.message) && /Unable to locate package/.test(String((error as Error).cause)));
      const lines: string[] = [];
      const found = await resolveDebianTools({ env: { ...env, GOPHERGUARD_APT_UPDATE: 'true' }, report: (line) => lines.push(line) });
      assert.deepEqual(found.sources, { prometheus: 'downloaded', alertmanager: 'downloaded' });
      assert.match(lines.join('\n'), /running apt-get update first/);
    });

    it('refuses packages of another version than the pins, and leaves no cache entry', async () => {
      const dir = await mkdtemp(join(scratch, 'other-version-'));
      const env = await fakeApt(dir, { prometheus: '2.53.1+ds1-1', alertmanager: '0.25.0-1+b4' });
      await assert.rejects(resolveDebianTools({ env }), (error: unknown) => error instanceof BinaryNotUsableError
        && /apt-get offers prometheus 2\.53\.1, but the sandbox is pinned to Debian bookworm's 2\.42\.0/.test(error.message));
      await assert.rejects(stat(debianCacheDir(env)), /ENOENT/);
    });
  });
});

it('reads the upstream version out of a Debian version', () => {
  assert.deepEqual(['2.42.0+ds-5+deb12u1', '0.25.0-1+b4', '1:2.45.3-1', '2.53.1~rc0-1'].map(upstreamVersion), ['2.42.0', '0.25.0', '2.45.3', '2.53.1']);
});
