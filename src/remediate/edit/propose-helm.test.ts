// The remediation corpus, part helm. Helm charts in Git: values files over the chart's values.yaml, components, templates
// that compute a value (refused).
// Each case asserts the exact diff (or the refusal) for one action on test/fixtures/remediate.
import { test } from 'node:test';
import { checkCase, helmSource, api, storefrontWorker, simple, batch, type Expected } from '../../../test/fixtures/remediate/cases.ts';

const cases: Expected[] = [
  {
    name: 'edits the values file that sets the limit last',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/prod.yaml']),
    workload: api,
    action: { type: 'raiseResource', container: 'api', resource: 'memory', field: 'limits', value: '1Gi' },
    diff: `--- a/charts/storefront/env/prod.yaml
+++ b/charts/storefront/env/prod.yaml
@@ -6,6 +6,6 @@
       cpu: 500m
       memory: 512Mi
     limits:
-      memory: 768Mi   # OOMKilled at 640Mi during the March sale
+      memory: 1Gi   # OOMKilled at 640Mi during the March sale
 worker:
   concurrency: 12
`,
    replaced: [{ before: '768Mi', after: '1Gi' }],
  },
  {
    name: 'overrides the image tag in the environment values file',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/prod.yaml']),
    workload: api,
    action: { type: 'setImageTag', container: 'api', tag: '4.1.9' },
    diff: `--- a/charts/storefront/env/prod.yaml
+++ b/charts/storefront/env/prod.yaml
@@ -7,5 +7,7 @@
       memory: 512Mi
     limits:
       memory: 768Mi   # OOMKilled at 640Mi during the March sale
+  image:
+    tag: 4.1.9
 worker:
   concurrency: 12
`,
  },
  {
    name: 'adds a limit under the worker component of the environment file',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/prod.yaml']),
    workload: storefrontWorker,
    action: { type: 'raiseResource', container: 'worker', resource: 'memory', field: 'limits', value: '512Mi' },
    diff: `--- a/charts/storefront/env/prod.yaml
+++ b/charts/storefront/env/prod.yaml
@@ -9,3 +9,6 @@
       memory: 768Mi   # OOMKilled at 640Mi during the March sale
 worker:
   concurrency: 12
+  resources:
+    limits:
+      memory: 512Mi
`,
  },
  {
    name: 'turns resources: {} into a block in values.yaml without value files',
    fixture: 'helm',
    source: helmSource('charts/storefront', []),
    workload: storefrontWorker,
    action: { type: 'raiseResource', container: 'worker', resource: 'memory', field: 'limits', value: '512Mi' },
    diff: `--- a/charts/storefront/values.yaml
+++ b/charts/storefront/values.yaml
@@ -35,6 +35,8 @@
   image:
     repository: ghcr.io/acme/storefront-worker
     tag: "4.2.0"
-  resources: {}
+  resources:
+    limits:
+      memory: 512Mi
   # Sized per environment: 1 worker per 500 orders/min.
   concurrency: 4
`,
  },
  {
    name: 'sets a component image tag in values.yaml without value files',
    fixture: 'helm',
    source: helmSource('charts/storefront', []),
    workload: storefrontWorker,
    action: { type: 'setImageTag', container: 'worker', tag: '4.1.0' },
    diff: `--- a/charts/storefront/values.yaml
+++ b/charts/storefront/values.yaml
@@ -34,7 +34,7 @@
   enabled: true
   image:
     repository: ghcr.io/acme/storefront-worker
-    tag: "4.2.0"
+    tag: "4.1.0"
   resources: {}
   # Sized per environment: 1 worker per 500 orders/min.
   concurrency: 4
`,
  },
  {
    name: 'overrides one probe field in the environment file',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/prod.yaml']),
    workload: api,
    action: { type: 'fixProbe', container: 'api', probe: 'liveness', initialDelaySeconds: 45 },
    diff: `--- a/charts/storefront/env/prod.yaml
+++ b/charts/storefront/env/prod.yaml
@@ -7,5 +7,7 @@
       memory: 512Mi
     limits:
       memory: 768Mi   # OOMKilled at 640Mi during the March sale
+  livenessProbe:
+    initialDelaySeconds: 45
 worker:
   concurrency: 12
`,
  },
  {
    name: 'restates a list from values.yaml to override one env var',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/staging.yaml']),
    workload: api,
    action: { type: 'restoreEnv', container: 'api', name: 'CACHE_TTL', value: '60' },
    diff: `--- a/charts/storefront/env/staging.yaml
+++ b/charts/storefront/env/staging.yaml
@@ -1,2 +1,5 @@
 api:
   replicaCount: 1
+  env:
+    - name: CACHE_TTL
+      value: "60"
`,
  },
  {
    name: 'edits the helm create layout, comments under resources: {} kept',
    fixture: 'helm',
    source: helmSource('charts/simple', []),
    workload: simple,
    action: { type: 'raiseResource', container: 'simple', resource: 'memory', field: 'limits', value: '256Mi' },
    diff: `--- a/charts/simple/values.yaml
+++ b/charts/simple/values.yaml
@@ -11,7 +11,9 @@
 
 podAnnotations: {}
 
-resources: {}
+resources:
+  limits:
+    memory: 256Mi
   # We usually recommend not to specify default resources and to leave this as a conscious
   # choice for the user. This also increases chances charts run on environments with little
   # resources, such as Minikube.
`,
  },
  {
    name: 'sets an empty tag that defaults to appVersion',
    fixture: 'helm',
    source: helmSource('charts/simple', []),
    workload: simple,
    action: { type: 'setImageTag', container: 'simple', tag: '1.25.3' },
    diff: `--- a/charts/simple/values.yaml
+++ b/charts/simple/values.yaml
@@ -7,7 +7,7 @@
   repository: nginx
   pullPolicy: IfNotPresent
   # Overrides the image tag whose default is the chart appVersion.
-  tag: ""
+  tag: "1.25.3"
 
 podAnnotations: {}
 
`,
  },
  {
    name: 'refuses a limit computed by the template',
    fixture: 'helm',
    source: helmSource('charts/computed', []),
    workload: batch,
    action: { type: 'raiseResource', container: 'batch', resource: 'memory', field: 'limits', value: '1Gi' },
    refused: { kind: 'not-located', reason: 'charts/computed/templates/deployment.yaml computes memory as {{ printf "%dMi" (mul .Values.memoryMb 2) }}, not from a values key; templates are never edited' },
  },
  {
    name: 'refuses an image built with printf',
    fixture: 'helm',
    source: helmSource('charts/computed', []),
    workload: batch,
    action: { type: 'setImageTag', container: 'batch', tag: '2.0.0' },
    refused: { kind: 'not-located', reason: 'charts/computed/templates/deployment.yaml computes .Values.image.tag with printf; a values edit cannot be traced through it' },
  },
  {
    name: 'refuses a startup probe the chart cannot render',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/prod.yaml']),
    workload: api,
    action: { type: 'addStartupProbe', container: 'api', startupSeconds: 60 },
    refused: { kind: 'not-located', reason: 'no template of the chart reads startupProbe from .Values' },
  },
  {
    name: 'refuses a key the Application sets in its own values',
    fixture: 'helm',
    source: helmSource('charts/storefront', ['charts/storefront/env/prod.yaml'], { values: { api: { resources: { limits: { memory: '900Mi' } } } } }),
    workload: api,
    action: { type: 'raiseResource', container: 'api', resource: 'memory', field: 'limits', value: '1Gi' },
    refused: { kind: 'not-located', reason: 'Argo CD Application argocd/storefront sets api.resources.limits.memory in its helm values, which override every values file' },
  },
];

for (const c of cases) test(c.name, () => checkCase(c).then(() => undefined));
