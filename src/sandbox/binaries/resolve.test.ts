import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MissingToolError } from '../preflight.ts';
import { BinaryNotUsableError, resolveComponent } from './resolve.ts';

const versions = { kubernetes: '1.36.3', etcd: '3.6.9', kwok: '0.8.0', gitea: '1.26.4', fluxSourceController: '1.9.1', fluxKustomizeController: '1.9.4', argocd: '3.5.1' };

async function executable(dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
  return path;
}

test('an env var path wins over the cache and the build', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resolve-'));
  const etcd = await executable(dir, 'my-etcd');
  const resolved = await resolveComponent('etcd', { versions, env: { GOPHERGUARD_ETCD: etcd, GOPHERGUARD_SANDBOX_CACHE: join(dir, 'cache'), PATH: '' } });
  assert.equal(resolved.source, 'env');
  assert.equal(resolved.binaries.etcd, etcd);
});

test('an env var that points at nothing usable is a clear error', async () => {
  await assert.rejects(
    resolveComponent('etcd', { versions, env: { GOPHERGUARD_ETCD: '/nonexistent/etcd' } }),
    (error: unknown) => error instanceof BinaryNotUsableError && /GOPHERGUARD_ETCD=\/nonexistent\/etcd is not an executable file/.test(error.message),
  );
});

test('a cached version is used as is, per binary, without Go', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'resolve-cache-'));
  const dir = join(cache, 'kubernetes', '1.36.3');
  for (const name of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) await executable(dir, name);
  const scheduler = await executable(cache, 'patched-scheduler');
  const resolved = await resolveComponent('kubernetes', { versions, env: { GOPHERGUARD_SANDBOX_CACHE: cache, GOPHERGUARD_KUBE_SCHEDULER: scheduler, PATH: '' } });
  assert.equal(resolved.source, 'cache');
  assert.equal(resolved.binaries['kube-apiserver'], join(dir, 'kube-apiserver'));
  assert.equal(resolved.binaries['kube-scheduler'], scheduler, 'one binary may still come from its env var');
});

test('a build without Go says in one sentence what to install', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'resolve-nogo-'));
  await assert.rejects(
    resolveComponent('etcd', { versions, env: { GOPHERGUARD_SANDBOX_CACHE: cache, PATH: '/nonexistent' } }),
    (error: unknown) => error instanceof MissingToolError && error.tool === 'go' && /needs `go` to build etcd 3\.6\.9 .* install Go 1\.26/.test(error.message),
  );
});

test('a cgo build (Gitea) asks for a C compiler before it starts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resolve-nogcc-'));
  await executable(join(dir, 'bin'), 'go');
  await symlink('/bin/sh', join(dir, 'bin', 'sh')); // preflight asks sh where each tool is
  await assert.rejects(
    resolveComponent('gitea', { versions, env: { GOPHERGUARD_SANDBOX_CACHE: join(dir, 'cache'), PATH: join(dir, 'bin') } }),
    (error: unknown) => error instanceof MissingToolError && error.tool === 'gcc' && /needs `gcc` to build gitea 1\.26\.4/.test(error.message),
  );
});

test('an asset bundle from several modules is cached under all of their pins', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'resolve-bundle-'));
  const dir = join(cache, 'gitops-crds', 'fluxSourceController-1.9.1_fluxKustomizeController-1.9.4_argocd-3.5.1');
  await mkdir(dir, { recursive: true });
  const resolved = await resolveComponent('gitops-crds', { versions, env: { GOPHERGUARD_SANDBOX_CACHE: cache, PATH: '' } });
  assert.deepEqual([resolved.source, resolved.dir], ['cache', dir]);
  const bumped = resolveComponent('gitops-crds', { versions: { ...versions, argocd: '3.5.2' }, env: { GOPHERGUARD_SANDBOX_CACHE: cache, PATH: '/nonexistent' } });
  await assert.rejects(bumped, (error: unknown) => error instanceof MissingToolError, 'a new pin is fetched again, which needs go');
});
