// The generated CRDs on a real API server: accepted, defaulted as zod defaults, rejecting
// what zod rejects with the field named, and with a working status subresource.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { AEGIS_WATCH, AegisWatchSpec, type AegisWatchSpecInput } from '../../src/api/aegis-watch.ts';
import { API_VERSION, GROUP, VERSION, type ResourceDefinition } from '../../src/api/common.ts';
import { RESOURCES, crdFor, parseAegisWatch, parseHealingIncident } from '../../src/api/crd.ts';
import { HEALING_INCIDENT } from '../../src/api/healing-incident.ts';
import { deleteNamespace, testCluster, waitFor } from '../support/cluster.ts';

const cluster = testCluster();
// The generic client sends the body verbatim. KubernetesObjectApi.create serializes a CRD
// through client-node's model and silently drops x-kubernetes-validations (seen on 2.0.1).
const custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
const extensions = cluster.kubeConfig.makeApiClient(ApiextensionsV1Api);
const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
let namespace = '';

type KubeObject = { metadata: { name: string; resourceVersion?: string; generation?: number }; spec: Record<string, unknown>; status?: Record<string, unknown> };

async function installCrd(def: ResourceDefinition): Promise<void> {
  const body = crdFor(def);
  // Other test files may install the same CRDs at the same time: a conflict is retried.
  await waitFor(`CRD ${body.metadata.name} installed`, async () => {
    try {
      await custom.createClusterCustomObject({ ...CRDS, body });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      const current = (await custom.getClusterCustomObject({ ...CRDS, name: body.metadata.name })) as KubeObject;
      await custom.replaceClusterCustomObject({ ...CRDS, name: body.metadata.name, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } } });
    }
    return true;
  });
  await waitFor(`CRD ${body.metadata.name} established`, async () => {
    const crd = await extensions.readCustomResourceDefinition({ name: body.metadata.name });
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  });
  // Established can come a moment before the new endpoint answers.
  await waitFor(`${def.plural} served`, () => custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'default', plural: def.plural }));
}

const at = (def: ResourceDefinition) => ({ group: GROUP, version: VERSION, namespace, plural: def.plural });
const object = (def: ResourceDefinition, name: string, spec: unknown) => ({ apiVersion: API_VERSION, kind: def.kind, metadata: { name }, spec });
const create = async (def: ResourceDefinition, name: string, spec: unknown) =>
  (await custom.createNamespacedCustomObject({ ...at(def), body: object(def, name, spec), fieldValidation: 'Strict' })) as KubeObject;
const read = async (def: ResourceDefinition, name: string) => (await custom.getNamespacedCustomObject({ ...at(def), name })) as KubeObject;

const messageOf = (error: unknown) => (JSON.parse((error as { body?: string }).body ?? '{}') as { message?: string }).message ?? String(error);

/** The API server's message for a rejected create, or a failure if it was accepted. */
async function rejection(def: ResourceDefinition, spec: unknown): Promise<string> {
  try {
    await create(def, `bad-${Math.random().toString(36).slice(2, 7)}`, spec);
  } catch (error) {
    const { code, body } = error as { code?: number; body?: string };
    assert.ok(code === 400 || code === 422, `expected 400 or 422, got ${code}: ${body}`);
    return messageOf(error);
  }
  assert.fail(`the API server accepted ${JSON.stringify(spec)}`);
}

const minimal: AegisWatchSpecInput = { targets: { workloads: [{ kind: 'Deployment', name: 'web' }] }, source: { argoCD: { application: 'shop' } } };
const incidentSpec = { watch: 'guard', fingerprint: 'feedfacecafebeef', workload: { kind: 'Deployment', name: 'web', namespace: 'shop' }, container: 'app', signalClass: 'CrashLoop' };

before(async () => {
  for (const def of RESOURCES) await installCrd(def);
  // Not createNamespace(): custom resources need no ServiceAccount, and a tier-1 sandbox
  // (no controller manager) never makes one.
  namespace = `crds-${Math.random().toString(36).slice(2, 7)}`;
  await cluster.core.createNamespace({ body: { metadata: { name: namespace } } });
});

after(() => deleteNamespace(cluster, namespace));

test('the CRDs read back with their printer columns, short names and status subresource', async () => {
  for (const def of RESOURCES) {
    const crd = await extensions.readCustomResourceDefinition({ name: `${def.plural}.${GROUP}` });
    const version = crd.spec.versions.find((v) => v.name === VERSION);
    assert.deepEqual(version?.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath]), def.printerColumns.map((c) => [c.name, c.jsonPath]));
    assert.deepEqual(crd.spec.names.shortNames, def.shortNames);
    assert.ok(version?.subresources?.status);
  }
});

test('a valid AegisWatch is stored with the defaults zod also fills in', async () => {
  await create(AEGIS_WATCH, 'guard', minimal);
  const stored = await read(AEGIS_WATCH, 'guard');
  assert.equal(stored.spec.mode, 'pullRequest');
  assert.equal((stored.spec.detectors as { crashLoop: { restartThreshold: number } }).crashLoop.restartThreshold, 1);
  assert.deepEqual(stored.spec, AegisWatchSpec.parse(minimal));
  assert.ok(parseAegisWatch(stored).ok);
});

test('the API server rejects invalid AegisWatches and names the field', async () => {
  const bad = (change: Record<string, unknown>) => rejection(AEGIS_WATCH, { ...minimal, ...change });
  assert.match(await bad({ mode: 'yolo' }), /spec\.mode: Unsupported value: "yolo"/);
  assert.match(await bad({ detectors: { crashLoop: { restartThreshold: 0 } } }), /spec\.detectors\.crashLoop\.restartThreshold: Invalid value: 0: .*greater than or equal to 1/);
  assert.match(await bad({ colour: 'blue' }), /unknown field "spec\.colour"/);
  assert.match(await bad({ targets: {} }), /spec\.targets: Invalid value: (?:"object": )?give workloads or a selector/);
  assert.match(await bad({ source: { argoCD: { application: 'a' }, flux: { kustomization: 'b' } } }), /spec\.source: Invalid value: (?:"object": )?give exactly one of argoCD, flux or git/);
  assert.match(await bad({ source: { git: { repo: 'http://github.com/acme/shop', forge: 'github' } } }), /spec\.source\.git\.repo: Invalid value: "http:\/\/github\.com\/acme\/shop": .*\^\(https:\/\//);
  assert.match(await bad({ diagnoser: { engine: 'llm', llm: { provider: 'openai-compatible', model: 'm' } } }), /spec\.diagnoser\.llm: Invalid value: (?:"object": )?give baseURL for an openai-compatible provider/);
  assert.match(await bad({ notifications: [{ type: 'pager', secretRef: { name: 'x' } }] }), /spec\.notifications\[0\]\.type: Unsupported value: "pager"/);
});

test('status goes through the status subresource only, and spec updates leave it alone', async () => {
  await create(AEGIS_WATCH, 'scored', minimal);
  const stored = await read(AEGIS_WATCH, 'scored');
  const status = { observedGeneration: 1, openIncidents: 2, healingScore: 87.5, conditions: [{ type: 'Ready', status: 'True', reason: 'Watching', message: 'guarding 1 workload', lastTransitionTime: '2026-01-02T03:04:05Z' }] };
  await custom.replaceNamespacedCustomObjectStatus({ ...at(AEGIS_WATCH), name: 'scored', body: { ...stored, status } });
  const withStatus = await read(AEGIS_WATCH, 'scored');
  assert.deepEqual(withStatus.status, status);
  assert.equal(withStatus.metadata.generation, 1);

  await custom.replaceNamespacedCustomObject({ ...at(AEGIS_WATCH), name: 'scored', body: { ...withStatus, spec: { ...withStatus.spec, mode: 'suggest' }, status: { openIncidents: 99 } } });
  const updated = await read(AEGIS_WATCH, 'scored');
  assert.deepEqual([updated.spec.mode, updated.metadata.generation], ['suggest', 2]);
  assert.deepEqual(updated.status, status);

  const badStatus = await custom.replaceNamespacedCustomObjectStatus({ ...at(AEGIS_WATCH), name: 'scored', body: { ...updated, status: { healingScore: 101 } } }).then(() => 'accepted', messageOf);
  assert.match(badStatus, /status\.healingScore: Invalid value: 101: .*less than or equal to 100/);
});

test('a HealingIncident is accepted, its spec cannot change and its status is validated', async () => {
  await create(HEALING_INCIDENT, 'web-crash', incidentSpec);
  const stored = await read(HEALING_INCIDENT, 'web-crash');
  assert.deepEqual(stored.spec, incidentSpec);

  const status = { phase: 'Detected', phaseTimestamps: { Detected: '2026-03-01T10:00:00Z' }, occurrences: 3, evidence: { summary: 'restarted 3 times', restartCount: 3, exitCode: 1 } };
  await custom.replaceNamespacedCustomObjectStatus({ ...at(HEALING_INCIDENT), name: 'web-crash', body: { ...stored, status } });
  const withStatus = await read(HEALING_INCIDENT, 'web-crash');
  assert.deepEqual(withStatus.status, status);
  assert.ok(parseHealingIncident(withStatus).ok);

  const attempt = (body: unknown, subresource: boolean) =>
    (subresource ? custom.replaceNamespacedCustomObjectStatus({ ...at(HEALING_INCIDENT), name: 'web-crash', body }) : custom.replaceNamespacedCustomObject({ ...at(HEALING_INCIDENT), name: 'web-crash', body })).then(
      () => 'accepted',
      messageOf,
    );
  assert.match(await attempt({ ...withStatus, spec: { ...incidentSpec, signalClass: 'OOMKilled' } }, false), /spec: Invalid value: (?:"object": )?spec is set once by the operator and cannot change/);
  assert.match(await attempt({ ...withStatus, status: { ...status, phase: 'Exploded' } }, true), /status\.phase: Unsupported value: "Exploded"/);
  assert.match(await attempt({ ...withStatus, status: { ...status, proposal: { diff: 'x'.repeat(16385) } } }, true), /status\.proposal\.diff: Too long/);
  assert.match(await rejection(HEALING_INCIDENT, { ...incidentSpec, fingerprint: 'NOT-HEX' }), /spec\.fingerprint: Invalid value: "NOT-HEX"/);
});
