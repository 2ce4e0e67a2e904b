// GitOps failures end to end on the run's tier-2 sandbox, which installs Flux's and Argo
// CD's CRDs (no controllers): the test writes their status as kustomize-controller and
// Argo CD's application-controller do, and the GitOps controller (in-process) records
// exactly one HealingIncident per failure, in the watch's namespace.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import type { AegisWatch } from '../../src/api/aegis-watch.ts';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { ClusterCache } from '../../src/reconcile/cluster-cache.ts';
import { GitOpsController } from '../../src/reconcile/gitops-controller.ts';
import { WatchController } from '../../src/reconcile/watch-controller.ts';
import { createNamespace, deleteNamespace, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
const custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
const FLUX = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' };
const ARGO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' };
const ATTEMPTED = 'main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738';
const APPLIED = 'main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9';
let ns: string;
let cache: ClusterCache;
let gitops: GitOpsController;
let watches: WatchController;

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'gitops');
  // The sandbox installed the GitOps CRDs; a list answers once they are served.
  await waitFor('the Flux and Argo CD APIs', async () => {
    await custom.listNamespacedCustomObject({ ...FLUX, namespace: ns });
    await custom.listNamespacedCustomObject({ ...ARGO, namespace: ns });
    return true;
  });
  cache = new ClusterCache({ client: cluster.client, namespaces: [ns] });
  gitops = new GitOpsController({ client: cluster.client, cache, scoped: true });
  watches = new WatchController({ client: cluster.client, cache, resyncMs: 1000 });
  await cache.start();
  await gitops.start();
  watches.start();
});
after(async () => {
  await gitops.stop();
  await watches.stop();
  cache.stop();
  await deleteNamespace(cluster, ns);
});

async function incidentsOf(watch: string): Promise<HealingIncident[]> {
  return (await listIncidents(cluster.kubeConfig, ns)).filter((i) => i.spec.watch === watch);
}

const now = () => new Date().toISOString();

/**
 * A Kustomization as `flux create kustomization` makes it; its status then as
 * kustomize-controller writes it. Suspended, so that the sandbox's real kustomize-controller
 * leaves the scripted status alone (test/sandbox/flux.test.ts covers real Flux).
 */
async function createKustomization(name: string): Promise<void> {
  await custom.createNamespacedCustomObject({
    ...FLUX, namespace: ns,
    body: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name },
      spec: { interval: '1m', path: `./apps/${name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'shop' }, timeout: '4m30s', suspend: true },
    },
  });
}

/**
 * Writes status as kustomize-controller does. The real one still adds its finalizer to a
 * suspended Kustomization, so a write can meet a newer object: read again and retry.
 */
async function setKustomizationStatus(name: string, status: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = (await custom.getNamespacedCustomObject({ ...FLUX, namespace: ns, name })) as KubernetesObject;
    try {
      await custom.replaceNamespacedCustomObjectStatus({ ...FLUX, namespace: ns, name, body: { ...current, status } });
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 409 || attempt >= 5) throw error;
    }
  }
}

function failedStatus(reason: string, message: string): Record<string, unknown> {
  return {
    observedGeneration: 1,
    lastAttemptedRevision: ATTEMPTED,
    lastAppliedRevision: APPLIED,
    conditions: [
      { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: `Fetching manifests for revision ${ATTEMPTED} with a timeout of 4m30s`, observedGeneration: 1, lastTransitionTime: now() },
      { type: 'Ready', status: 'False', reason, message, observedGeneration: 1, lastTransitionTime: now() },
    ],
  };
}

const BUILD_FAILED = "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'deployment.yaml': open /tmp/kustomization-1431/apps/shop/deployment.yaml: no such file or directory'";

test('a Flux Kustomization that fails to build is one GitOpsSyncFailed incident, which resolves when Flux recovers', async () => {
  // A second watch with GitOps detection switched off, on another failing Kustomization.
  await createKustomization('quiet');
  await setKustomizationStatus('quiet', failedStatus('BuildFailed', BUILD_FAILED));
  await createWatch(cluster.kubeConfig, ns, 'flux-quiet', { targets: { selector: { matchLabels: { app: 'quiet' } } }, source: { flux: { kustomization: 'quiet' } }, detectors: { gitOps: { enabled: false } } });

  await createKustomization('shop');
  await createWatch(cluster.kubeConfig, ns, 'flux-shop', {
    targets: { selector: { matchLabels: { app: 'shop' } } }, source: { flux: { kustomization: 'shop' } }, detectors: { resolveAfterSeconds: 10 },
  });
  await setKustomizationStatus('shop', failedStatus('BuildFailed', BUILD_FAILED));

  const incident = await waitFor('a GitOpsSyncFailed incident', async () => (await incidentsOf('flux-shop')).find((i) => i.spec.signalClass === 'GitOpsSyncFailed' && i.status?.evidence));
  assert.deepEqual(incident.spec.workload, { kind: 'Kustomization', namespace: ns, name: 'shop' });
  assert.equal(incident.metadata.namespace, ns);
  assert.equal(incident.status?.phase, 'Detected');
  assert.equal(incident.status?.evidence?.reason, 'BuildFailed');
  assert.ok(incident.status?.evidence?.summary.includes(BUILD_FAILED), incident.status?.evidence?.summary);
  assert.ok(incident.status?.evidence?.summary.includes(`revision ${ATTEMPTED}, last applied ${APPLIED}`), incident.status?.evidence?.summary);

  // Flux retries and fails again, now at the apply: the same incident, counted again.
  await setKustomizationStatus('shop', failedStatus('ReconciliationFailed', 'Deployment/shop/web dry-run failed: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value'));
  await waitFor('a second occurrence', async () => ((await incidentsOf('flux-shop'))[0]?.status?.occurrences ?? 0) >= 2);
  const all = await incidentsOf('flux-shop');
  assert.equal(all.length, 1, 'exactly one incident');
  assert.match(all[0]?.status?.evidence?.summary ?? '', /reason ReconciliationFailed, .*image: Required value/);
  assert.deepEqual(await incidentsOf('flux-quiet'), [], 'no incident where GitOps detection is off');

  // Someone fixes Git; Flux applies it and is Ready again.
  await setKustomizationStatus('shop', {
    observedGeneration: 1, lastAttemptedRevision: ATTEMPTED, lastAppliedRevision: ATTEMPTED,
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${ATTEMPTED}`, observedGeneration: 1, lastTransitionTime: now() }],
  });
  const resolved = await waitFor('the incident to resolve itself', async () => (await incidentsOf('flux-shop')).find((i) => i.status?.phase === 'Resolved'), 30_000);
  assert.equal(resolved.metadata.name, incident.metadata.name);
});

test('a Degraded Argo CD Application is one GitOpsDegraded incident; a failed sync adds GitOpsSyncFailed', async () => {
  const message = 'Deployment "web" exceeded its progress deadline';
  const status = {
    health: { status: 'Degraded', lastTransitionTime: now() },
    sync: { status: 'Synced', revision: '8f3c0a3b9d1e4c6a2b7f5e0d9c8b7a6f5e4d3c2b', comparedTo: { source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/shop', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: ns } } },
    resources: [
      { version: 'v1', kind: 'Service', namespace: ns, name: 'web', status: 'Synced', health: { status: 'Healthy' } },
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web', status: 'Synced', health: { status: 'Degraded', message } },
    ],
    reconciledAt: now(),
    sourceType: 'Directory',
    controllerNamespace: 'argocd',
  };
  // The Application CRD has no status subresource: Argo CD writes status with the object.
  await custom.createNamespacedCustomObject({
    ...ARGO, namespace: ns,
    body: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop' },
      spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: ns }, source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/shop', targetRevision: 'main' } },
      status,
    },
  });
  await createWatch(cluster.kubeConfig, ns, 'argo-shop', { targets: { selector: { matchLabels: { app: 'web' } } }, source: { argoCD: { application: 'shop', namespace: ns } } });

  const degraded = await waitFor('a GitOpsDegraded incident', async () => (await incidentsOf('argo-shop')).find((i) => i.spec.signalClass === 'GitOpsDegraded' && i.status?.evidence));
  assert.deepEqual(degraded.spec.workload, { kind: 'Application', namespace: ns, name: 'shop' });
  assert.ok(degraded.status?.evidence?.summary.includes(`Deployment/${ns}/web: ${message}`), degraded.status?.evidence?.summary);

  const failure = 'one or more objects failed to apply, reason: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value (retried 5 times).';
  const current = (await custom.getNamespacedCustomObject({ ...ARGO, namespace: ns, name: 'shop' })) as KubernetesObject;
  await custom.replaceNamespacedCustomObject({
    ...ARGO, namespace: ns, name: 'shop',
    body: {
      ...current,
      status: {
        ...status,
        sync: { ...status.sync, status: 'OutOfSync', revision: 'c0ffee0b9d1e4c6a2b7f5e0d9c8b7a6f5e4d3c2b' },
        operationState: {
          operation: { sync: { revision: 'c0ffee0b9d1e4c6a2b7f5e0d9c8b7a6f5e4d3c2b' }, initiatedBy: { automated: true }, retry: { limit: 5 } },
          phase: 'Failed', message: failure, retryCount: 5, startedAt: now(), finishedAt: now(),
          syncResult: { revision: 'c0ffee0b9d1e4c6a2b7f5e0d9c8b7a6f5e4d3c2b', source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/shop', targetRevision: 'main' } },
        },
      },
    },
  });
  const failed = await waitFor('a GitOpsSyncFailed incident', async () => (await incidentsOf('argo-shop')).find((i) => i.spec.signalClass === 'GitOpsSyncFailed' && i.status?.evidence));
  assert.equal(failed.status?.evidence?.reason, 'SyncFailed');
  assert.ok(failed.status?.evidence?.summary.includes(failure), failed.status?.evidence?.summary);
  assert.ok(failed.status?.evidence?.summary.includes('revision c0ffee0b9d1e'), failed.status?.evidence?.summary);
  assert.deepEqual((await incidentsOf('argo-shop')).map((i) => i.spec.signalClass).sort(), ['GitOpsDegraded', 'GitOpsSyncFailed'], 'one incident per class');
});

test("an Application in Argo CD's own namespace files its incident in the watch's namespace", async () => {
  const argocd = await createNamespace(cluster, 'argocd');
  try {
    await custom.createNamespacedCustomObject({
      ...ARGO, namespace: argocd,
      body: {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'billing' },
        spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: ns }, source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/billing', targetRevision: 'main' } },
        status: { health: { status: 'Degraded' }, sync: { status: 'Synced', revision: '8f3c0a3b' }, resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'billing', health: { status: 'Degraded', message: 'Deployment "billing" exceeded its progress deadline' } }] },
      },
    });
    // The operator guards only `ns`; the watch's source makes it look into the other namespace too.
    await createWatch(cluster.kubeConfig, ns, 'argo-billing', { targets: { selector: { matchLabels: { app: 'billing' } } }, source: { argoCD: { application: 'billing', namespace: argocd } } });
    const incident = await waitFor('a GitOpsDegraded incident for billing', async () => (await incidentsOf('argo-billing')).find((i) => i.status?.evidence));
    assert.equal(incident.metadata.namespace, ns);
    assert.deepEqual([incident.spec.signalClass, incident.spec.workload.kind, incident.spec.workload.namespace, incident.spec.workload.name], ['GitOpsDegraded', 'Application', argocd, 'billing']);
    assert.match(incident.status?.evidence?.summary ?? '', new RegExp(`^GitOpsDegraded in Argo CD Application ${argocd}/billing, `));
    assert.deepEqual((await custom.listNamespacedCustomObject({ group: 'gopherguard.dev', version: 'v1alpha1', namespace: argocd, plural: 'healingincidents' }) as { items: unknown[] }).items, []);
  } finally {
    await deleteNamespace(cluster, argocd);
  }
});

test('a watch whose Flux Kustomization does not exist is Ready=False and says so', async () => {
  await createWatch(cluster.kubeConfig, ns, 'flux-missing', { targets: { selector: { matchLabels: { app: 'x' } } }, source: { flux: { kustomization: 'nope' } } });
  const ready = await waitFor('Ready on flux-missing', async () => {
    const watch = (await custom.getNamespacedCustomObject({ group: 'gopherguard.dev', version: 'v1alpha1', namespace: ns, plural: 'aegiswatches', name: 'flux-missing' })) as AegisWatch;
    return watch.status?.conditions?.find((c) => c.type === 'Ready');
  });
  assert.deepEqual([ready.status, ready.reason], ['False', 'SourceNotFound']);
  assert.equal(ready.message, `spec.source: Flux Kustomization ${ns}/nope does not exist`);
  assert.deepEqual(await incidentsOf('flux-missing'), []);
});
