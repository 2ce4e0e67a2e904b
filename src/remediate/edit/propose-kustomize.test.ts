// The remediation corpus, part kustomize. Kustomize trees: overlays over a shared base, components, strategic-merge and JSON 6902
// patches (files and inline), images; and a directory Flux builds without a kustomization.
// Each case asserts the exact diff (or the refusal) for one action on test/fixtures/remediate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkCase, kustomizeProd, kustomizeStaging, checkoutProd, checkoutStaging, paymentsSource, payments, fluxSource, redis, exporter, type Expected } from '../../../test/fixtures/remediate/cases.ts';

const cases: Expected[] = [
  {
    name: 'edits the overlay patch that sets the limit last',
    fixture: 'kustomize',
    source: kustomizeProd,
    workload: checkoutProd,
    action: { type: 'raiseResource', container: 'checkout', resource: 'memory', field: 'limits', value: '768Mi' },
    diff: `--- a/overlays/prod/resources-patch.yaml
+++ b/overlays/prod/resources-patch.yaml
@@ -9,4 +9,4 @@
       - name: checkout
         resources:
           limits:
-            memory: 512Mi  # prod traffic is 10x staging
+            memory: 768Mi  # prod traffic is 10x staging
`,
    replaced: [{ before: '512Mi', after: '768Mi' }],
  },
  {
    name: "adds to the overlay's own patch a field that only the shared base sets",
    fixture: 'kustomize',
    source: kustomizeProd,
    workload: checkoutProd,
    action: { type: 'raiseResource', container: 'checkout', resource: 'cpu', field: 'requests', value: '250m' },
    diff: `--- a/overlays/prod/resources-patch.yaml
+++ b/overlays/prod/resources-patch.yaml
@@ -10,3 +10,5 @@
         resources:
           limits:
             memory: 512Mi  # prod traffic is 10x staging
+          requests:
+            cpu: 250m
`,
    replaced: [],
  },
  {
    name: 'sets the overlay images newTag, keeping its quotes and comment',
    fixture: 'kustomize',
    source: kustomizeProd,
    workload: checkoutProd,
    action: { type: 'setImageTag', container: 'checkout', tag: '2.0.9' },
    diff: `--- a/overlays/prod/kustomization.yaml
+++ b/overlays/prod/kustomization.yaml
@@ -18,4 +18,4 @@
         value: 4
 images:
   - name: ghcr.io/acme/checkout
-    newTag: "2.1.0" # promoted by Kargo
+    newTag: "2.0.9" # promoted by Kargo
`,
  },
  {
    name: 'adds an images entry to an overlay whose base is shared',
    fixture: 'kustomize',
    source: kustomizeStaging,
    workload: checkoutStaging,
    action: { type: 'setImageTag', container: 'checkout', tag: '1.9.4' },
    diff: `--- a/overlays/staging/kustomization.yaml
+++ b/overlays/staging/kustomization.yaml
@@ -5,3 +5,6 @@
 - ../../base
 components:
 - ../../components/tracing
+images:
+- name: ghcr.io/acme/checkout
+  newTag: 1.9.4
`,
  },
  {
    name: 'adds an inline patch to an overlay whose base is shared',
    fixture: 'kustomize',
    source: kustomizeStaging,
    workload: checkoutStaging,
    action: { type: 'fixProbe', container: 'checkout', probe: 'readiness', timeoutSeconds: 3 },
    diff: `--- a/overlays/staging/kustomization.yaml
+++ b/overlays/staging/kustomization.yaml
@@ -5,3 +5,16 @@
 - ../../base
 components:
 - ../../components/tracing
+patches:
+- patch: |
+    apiVersion: apps/v1
+    kind: Deployment
+    metadata:
+      name: checkout
+    spec:
+      template:
+        spec:
+          containers:
+            - name: checkout
+              readinessProbe:
+                timeoutSeconds: 3
`,
  },
  {
    name: "overrides a shared component in the overlay's patch",
    fixture: 'kustomize',
    source: kustomizeProd,
    workload: checkoutProd,
    action: { type: 'restoreEnv', container: 'checkout', name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability:4318' },
    diff: `--- a/overlays/prod/resources-patch.yaml
+++ b/overlays/prod/resources-patch.yaml
@@ -10,3 +10,6 @@
         resources:
           limits:
             memory: 512Mi  # prod traffic is 10x staging
+        env:
+        - name: OTEL_EXPORTER_OTLP_ENDPOINT
+          value: http://otel-collector.observability:4318
`,
  },
  {
    name: 'refuses an image tag the Application overrides',
    fixture: 'kustomize',
    source: { ...kustomizeProd, overrides: { images: [{ name: 'ghcr.io/acme/checkout', newTag: '2.1.0' }] } },
    workload: checkoutProd,
    action: { type: 'setImageTag', container: 'checkout', tag: '2.0.9' },
    refused: { kind: 'not-located', reason: 'the image tag is set by Flux Kustomization flux-system/checkout-prod, not in Git' },
  },
  {
    name: 'edits the value of an inline JSON 6902 operation',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'raiseResource', container: 'api', resource: 'memory', field: 'limits', value: '3Gi' },
    diff: `--- a/payments/prod/kustomization.yaml
+++ b/payments/prod/kustomization.yaml
@@ -14,7 +14,7 @@
       # memory for the fraud model
       - op: replace
         path: /spec/template/spec/containers/0/resources/limits/memory
-        value: 2Gi
+        value: 3Gi
   - path: probe-patch.json
     target:
       kind: Deployment
`,
    replaced: [{ before: '2Gi', after: '3Gi' }],
  },
  {
    name: 'edits a base that no other overlay uses',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'raiseResource', container: 'api', resource: 'cpu', field: 'limits', value: '2' },
    diff: `--- a/payments/base/deployment.yaml
+++ b/payments/base/deployment.yaml
@@ -32,7 +32,7 @@
               cpu: 500m
               memory: 512Mi
             limits:
-              cpu: "1"
+              cpu: "2"
               memory: 1Gi
         - name: vault-agent
           image: hashicorp/vault:1.15.4
`,
    replaced: [{ before: '1', after: '2' }],
  },
  {
    name: 'edits a JSON patch file as JSON',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'fixProbe', container: 'api', probe: 'readiness', timeoutSeconds: 5, failureThreshold: 6 },
    diff: `--- a/payments/prod/probe-patch.json
+++ b/payments/prod/probe-patch.json
@@ -1,3 +1,3 @@
 [
-  {"op": "add", "path": "/spec/template/spec/containers/0/readinessProbe", "value": {"httpGet": {"path": "/ready", "port": 9000}, "timeoutSeconds": 2}}
+  {"op": "add", "path": "/spec/template/spec/containers/0/readinessProbe", "value": {"httpGet": {"path": "/ready", "port": 9000}, "timeoutSeconds": 5, "failureThreshold": 6}}
 ]
`,
  },
  {
    name: 'edits an inline strategic-merge patch',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'restoreEnv', container: 'api', name: 'PSP_ENDPOINT', value: 'https://psp.example.com/v2' },
    diff: `--- a/payments/prod/kustomization.yaml
+++ b/payments/prod/kustomization.yaml
@@ -31,4 +31,4 @@
               - name: api
                 env:
                   - name: PSP_ENDPOINT
-                    value: https://psp.example.com/v3 # new PSP API
+                    value: https://psp.example.com/v2 # new PSP API
`,
  },
  {
    name: 'edits a patchesStrategicMerge file',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'restoreEnv', container: 'api', name: 'DB_POOL_SIZE', value: '20' },
    diff: `--- a/payments/prod/env-patch.yaml
+++ b/payments/prod/env-patch.yaml
@@ -9,4 +9,4 @@
         - name: api
           env:
             - name: DB_POOL_SIZE
-              value: "40"   # prod database allows 200 connections
+              value: "20"   # prod database allows 200 connections
`,
  },
  {
    name: 'adds a TCP startup probe to the base',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'addStartupProbe', container: 'api', startupSeconds: 120 },
    diff: `--- a/payments/base/deployment.yaml
+++ b/payments/base/deployment.yaml
@@ -34,5 +34,10 @@
             limits:
               cpu: "1"
               memory: 1Gi
+          startupProbe:
+            tcpSocket:
+              port: 9000
+            periodSeconds: 10
+            failureThreshold: 12
         - name: vault-agent
           image: hashicorp/vault:1.15.4
`,
  },
  {
    name: 'sets the tag of a second container',
    fixture: 'kustomize-json',
    source: paymentsSource,
    workload: payments,
    action: { type: 'setImageTag', container: 'vault-agent', tag: '1.15.5' },
    diff: `--- a/payments/base/deployment.yaml
+++ b/payments/base/deployment.yaml
@@ -35,4 +35,4 @@
               cpu: "1"
               memory: 1Gi
         - name: vault-agent
-          image: hashicorp/vault:1.15.4
+          image: hashicorp/vault:1.15.5
`,
  },
  {
    name: 'edits a StatefulSet in a directory Flux builds without a kustomization',
    fixture: 'flux',
    source: fluxSource,
    workload: redis,
    action: { type: 'raiseResource', container: 'redis', resource: 'memory', field: 'limits', value: '400Mi' },
    diff: `--- a/clusters/prod/apps/redis/statefulset.yaml
+++ b/clusters/prod/apps/redis/statefulset.yaml
@@ -35,5 +35,5 @@
             initialDelaySeconds: 5
           resources:
             limits:
-              memory: 200Mi
+              memory: 400Mi
 ...
`,
  },
  {
    name: 'fixes a TCP probe delay',
    fixture: 'flux',
    source: fluxSource,
    workload: redis,
    action: { type: 'fixProbe', container: 'redis', probe: 'liveness', initialDelaySeconds: 20 },
    diff: `--- a/clusters/prod/apps/redis/statefulset.yaml
+++ b/clusters/prod/apps/redis/statefulset.yaml
@@ -32,7 +32,7 @@
           livenessProbe:
             tcpSocket:
               port: redis
-            initialDelaySeconds: 5
+            initialDelaySeconds: 20
           resources:
             limits:
               memory: 200Mi
`,
  },
  {
    name: "sets the tag in a nested kustomization's images",
    fixture: 'flux',
    source: fluxSource,
    workload: exporter,
    action: { type: 'setImageTag', container: 'exporter', tag: 'v1.57.0' },
    diff: `--- a/clusters/prod/apps/monitoring/kustomization.yaml
+++ b/clusters/prod/apps/monitoring/kustomization.yaml
@@ -2,4 +2,4 @@
   - exporter.yaml
 images:
   - name: oliver006/redis_exporter
-    newTag: v1.58.0
+    newTag: v1.57.0
`,
  },
  {
    name: 'restores a removed env var through a new overlay patch when the base is shared',
    fixture: 'kustomize',
    source: kustomizeStaging,
    workload: checkoutStaging,
    action: { type: 'restoreEnv', container: 'checkout', name: 'LOG_FORMAT', value: 'json' },
    diff: `--- a/overlays/staging/kustomization.yaml
+++ b/overlays/staging/kustomization.yaml
@@ -5,3 +5,17 @@
 - ../../base
 components:
 - ../../components/tracing
+patches:
+- patch: |
+    apiVersion: apps/v1
+    kind: Deployment
+    metadata:
+      name: checkout
+    spec:
+      template:
+        spec:
+          containers:
+            - name: checkout
+              env:
+                - name: LOG_FORMAT
+                  value: json
`,
  },
];

for (const c of cases) test(c.name, () => checkCase(c).then(() => undefined));

test('a new overlay patch is a strategic-merge patch for the resource as the overlay names it', async () => {
  const [edit] = await checkCase(cases.find((c) => c.name === 'adds an inline patch to an overlay whose base is shared') as Expected);
  const kustomization = parse(edit?.after ?? '', { version: '1.1' });
  const patch = parse(kustomization.patches[0].patch, { version: '1.1' });
  assert.deepEqual(patch, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout' },
    spec: { template: { spec: { containers: [{ name: 'checkout', readinessProbe: { timeoutSeconds: 3 } }] } } },
  });
});
