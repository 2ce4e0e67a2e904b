// Tier 3's GitOps loop with the real engines: Flux's source-controller clones a repository
// in the sandbox's Gitea over HTTP with basic auth, kustomize-controller applies its
// artifact, and a commit through the Gitea API reaches the cluster.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { createNamespace, deleteNamespace, testCluster, waitFor, type TestCluster } from '../support/cluster.ts';
import { createRepo, giteaApi, testGitea, type TestGitea } from '../support/gitea.ts';

interface FluxCondition { type: string; status: string; reason?: string; message?: string }
interface Kustomization { status?: { lastAppliedRevision?: string; conditions?: FluxCondition[] } }

const configMap = (colour: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: palette\ndata:\n  colour: ${colour}\n`;
const kustomizationFile = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - configmap.yaml\n';

let cluster: TestCluster;
let gitea: TestGitea;
let custom: CustomObjectsApi;
let namespace: string;

before(async () => {
  cluster = testCluster();
  gitea = testGitea();
  custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
  namespace = await createNamespace(cluster, 'flux');
});
after(async () => {
  await deleteNamespace(cluster, namespace);
});

async function headSha(repo: string): Promise<string> {
  const branch = await giteaApi<{ commit: { id: string } }>(gitea, 'GET', `/repos/${gitea.user}/${repo}/branches/main`);
  return branch.commit.id;
}

/** The Kustomization once it is Ready with `revision` applied; its last status otherwise, in the timeout. */
async function appliedRevision(name: string, revision: string): Promise<void> {
  let last: Kustomization | undefined;
  try {
    await waitFor(`Kustomization ${name} Ready at ${revision}`, async () => {
      last = (await custom.getNamespacedCustomObject({ group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace, plural: 'kustomizations', name })) as Kustomization;
      const ready = last.status?.conditions?.find((c) => c.type === 'Ready');
      return ready?.status === 'True' && last.status?.lastAppliedRevision === revision;
    }, 120_000);
  } catch (error) {
    throw new Error(`${String(error)}\nlast status: ${JSON.stringify(last?.status)}`, { cause: error });
  }
}

async function colourOf(): Promise<string | undefined> {
  const cm = await cluster.core.readNamespacedConfigMap({ name: 'palette', namespace });
  return cm.data?.colour;
}

test('Flux applies a kustomization from Gitea and then a commit to it', async () => {
  const repo = await createRepo(gitea, 'flux', { 'app/kustomization.yaml': kustomizationFile, 'app/configmap.yaml': configMap('blue') });
  const first = await headSha(repo.name);

  await cluster.core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'gitea-auth' }, type: 'Opaque', stringData: { username: gitea.user, password: gitea.token } },
  });
  await custom.createNamespacedCustomObject({
    group: 'source.toolkit.fluxcd.io', version: 'v1', namespace, plural: 'gitrepositories',
    body: {
      apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet' },
      spec: { interval: '5s', url: repo.cloneUrl, ref: { branch: 'main' }, secretRef: { name: 'gitea-auth' } },
    },
  });
  await custom.createNamespacedCustomObject({
    group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace, plural: 'kustomizations',
    body: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'app' },
      spec: { interval: '5s', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' }, path: './app', targetNamespace: namespace },
    },
  });

  await appliedRevision('app', `main@sha1:${first}`);
  assert.equal(await colourOf(), 'blue');

  const current = await giteaApi<{ sha: string }>(gitea, 'GET', `/repos/${gitea.user}/${repo.name}/contents/app/configmap.yaml?ref=main`);
  const commit = await giteaApi<{ commit: { sha: string } }>(gitea, 'PUT', `/repos/${gitea.user}/${repo.name}/contents/app/configmap.yaml`, {
    branch: 'main', sha: current.sha, message: 'a new colour', content: Buffer.from(configMap('green')).toString('base64'),
  });
  const second = commit.commit.sha;
  assert.equal(second, await headSha(repo.name));
  assert.notEqual(second, first);

  await appliedRevision('app', `main@sha1:${second}`);
  assert.equal(await waitFor('the ConfigMap to change', async () => (await colourOf()) === 'green' && 'green'), 'green');
});
