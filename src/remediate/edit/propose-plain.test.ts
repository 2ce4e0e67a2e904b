// The remediation corpus, part plain. Plain manifests: multi-document files, nested folders, flow maps, CRLF, anchors.
// Each case asserts the exact diff (or the refusal) for one action on test/fixtures/remediate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCase, plainSource, web, worker, cleanup, reports, gateway, workload, type Expected } from '../../../test/fixtures/remediate/cases.ts';

const cases: Expected[] = [
  {
    name: 'raises a memory limit in place, keeping its quotes and comment',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'raiseResource', container: 'web', resource: 'memory', field: 'limits', value: '512Mi' },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -54,7 +54,7 @@
               memory: "256Mi"   # measured p99 + 20%
             # no CPU limit on purpose: throttling hurt p99 latency
             limits:
-              memory: "384Mi"
+              memory: "512Mi"
         - name: metrics
           image: prom/statsd-exporter:v0.26.1
           resources: {requests: {cpu: 10m, memory: 32Mi}}
`,
  },
  {
    name: 'sets an image tag inside a quoted image string, keeping the repository',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'setImageTag', container: 'web', tag: '1.14.1' },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -25,7 +25,7 @@
       serviceAccountName: web
       containers:
         - name: web
-          image: "ghcr.io/acme/shop-web:1.14.2"  # bumped by release bot
+          image: "ghcr.io/acme/shop-web:1.14.1"  # bumped by release bot
           ports:
             - name: http
               containerPort: 8080
`,
  },
  {
    name: 'adds a limit to a flow map on one line',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'raiseResource', container: 'metrics', resource: 'memory', field: 'limits', value: '64Mi' },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -57,7 +57,7 @@
               memory: "384Mi"
         - name: metrics
           image: prom/statsd-exporter:v0.26.1
-          resources: {requests: {cpu: 10m, memory: 32Mi}}
+          resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
 ---
 apiVersion: v1
 kind: Service
`,
  },
  {
    name: 'adds a startup probe modelled on the liveness probe',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'addStartupProbe', container: 'web', startupSeconds: 90 },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -55,6 +55,12 @@
             # no CPU limit on purpose: throttling hurt p99 latency
             limits:
               memory: "384Mi"
+          startupProbe:
+            httpGet:
+              path: /livez
+              port: http
+            periodSeconds: 10
+            failureThreshold: 9
         - name: metrics
           image: prom/statsd-exporter:v0.26.1
           resources: {requests: {cpu: 10m, memory: 32Mi}}
`,
  },
  {
    name: 'restores an env var value in place of its reference',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'restoreEnv', container: 'web', name: 'FEATURE_FLAGS', value: 'checkout-v2,fast-search' },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -33,10 +33,7 @@
             - name: LOG_LEVEL
               value: info
             - name: FEATURE_FLAGS
-              valueFrom:
-                configMapKeyRef:
-                  name: web-flags
-                  key: flags   # was "flags.v1" until 2024-03
+              value: checkout-v2,fast-search
           readinessProbe:
             httpGet:
               path: /healthz
`,
  },
  {
    name: 'reverts a ConfigMap key reference',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'revertField', path: 'spec.containers[web].env[FEATURE_FLAGS].valueFrom.configMapKeyRef.key', value: 'flags.v1' },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -36,7 +36,7 @@
               valueFrom:
                 configMapKeyRef:
                   name: web-flags
-                  key: flags   # was "flags.v1" until 2024-03
+                  key: flags.v1   # was "flags.v1" until 2024-03
           readinessProbe:
             httpGet:
               path: /healthz
`,
  },
  {
    name: 'fixes a probe path and delay',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'fixProbe', container: 'web', probe: 'liveness', path: '/healthz', initialDelaySeconds: 30 },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -44,9 +44,9 @@
             periodSeconds: 5
           livenessProbe:
             httpGet:
-              path: /livez
+              path: /healthz
               port: http
-            initialDelaySeconds: 10
+            initialDelaySeconds: 30
             failureThreshold: 3
           resources:
             requests:
`,
  },
  {
    name: 'fits a request in a nested flow map, leaving 0644 as written',
    fixture: 'plain',
    source: plainSource,
    workload: worker,
    action: { type: 'fitRequests', container: 'worker', memory: '96Mi' },
    diff: `--- a/apps/shop/worker.yaml
+++ b/apps/shop/worker.yaml
@@ -15,7 +15,7 @@
       - name: worker
         image: ghcr.io/acme/shop-worker:2.3.0
         args: ["--queue", "orders", "--concurrency", "8"]
-        resources: {requests: {cpu: 100m, memory: 128Mi}}
+        resources: {requests: {cpu: 100m, memory: 96Mi}}
         volumeMounts:
         - name: config
           mountPath: /etc/worker
`,
  },
  {
    name: 'reverts command-line arguments item by item',
    fixture: 'plain',
    source: plainSource,
    workload: worker,
    action: { type: 'revertField', path: 'spec.containers[worker].args', value: '["--queue","orders","--concurrency","4"]' },
    diff: `--- a/apps/shop/worker.yaml
+++ b/apps/shop/worker.yaml
@@ -14,7 +14,7 @@
       containers:
       - name: worker
         image: ghcr.io/acme/shop-worker:2.3.0
-        args: ["--queue", "orders", "--concurrency", "8"]
+        args: ["--queue", "orders", "--concurrency", "4"]
         resources: {requests: {cpu: 100m, memory: 128Mi}}
         volumeMounts:
         - name: config
`,
  },
  {
    name: 'edits a CronJob in a nested folder',
    fixture: 'plain',
    source: plainSource,
    workload: cleanup,
    action: { type: 'raiseResource', container: 'cleanup', resource: 'memory', field: 'limits', value: '128Mi' },
    diff: `--- a/apps/shop/nested/cleanup.yaml
+++ b/apps/shop/nested/cleanup.yaml
@@ -18,4 +18,4 @@
               image: ghcr.io/acme/shop-tools:1.0.0
               command: ["/bin/cleanup", "--older-than=72h"]
               resources:
-                limits: {memory: 64Mi}
+                limits: {memory: 128Mi}
`,
  },
  {
    name: 'keeps CRLF line endings and single quotes',
    fixture: 'plain',
    source: plainSource,
    workload: reports,
    action: { type: 'raiseResource', container: 'reports', resource: 'memory', field: 'limits', value: '1Gi' },
    diff: "--- a/apps/shop/reports.yaml\n+++ b/apps/shop/reports.yaml\n@@ -18,7 +18,7 @@\n           image: 'ghcr.io/acme/reports:0.9.1'\r\n           resources:\r\n             limits:\r\n-              memory: '512Mi'  # PDF rendering is hungry\r\n+              memory: '1Gi'  # PDF rendering is hungry\r\n           env:\r\n             - name: TZ\r\n               value: Europe/Paris\r\n",
  },
  {
    name: 'adds new lines with CRLF endings',
    fixture: 'plain',
    source: plainSource,
    workload: reports,
    action: { type: 'raiseResource', container: 'reports', resource: 'cpu', field: 'requests', value: '500m' },
    diff: "--- a/apps/shop/reports.yaml\n+++ b/apps/shop/reports.yaml\n@@ -19,6 +19,8 @@\n           resources:\r\n             limits:\r\n               memory: '512Mi'  # PDF rendering is hungry\r\n+            requests:\r\n+              cpu: 500m\r\n           env:\r\n             - name: TZ\r\n               value: Europe/Paris\r\n",
  },
  {
    name: 'edits one document of a file whose other document has an on: key',
    fixture: 'plain',
    source: plainSource,
    workload: gateway,
    action: { type: 'setImageTag', container: 'envoy', tag: 'v1.29.2' },
    diff: `--- a/apps/shop/anchors.yaml
+++ b/apps/shop/anchors.yaml
@@ -13,7 +13,7 @@
     spec:
       containers:
         - name: envoy
-          image: envoyproxy/envoy:v1.29.1
+          image: envoyproxy/envoy:v1.29.2
           resources: &small
             requests:
               cpu: 50m
`,
  },
  {
    name: 'refuses a value inside an anchored block that another container aliases',
    fixture: 'plain',
    source: plainSource,
    workload: gateway,
    action: { type: 'raiseResource', container: 'envoy', resource: 'memory', field: 'limits', value: '256Mi' },
    refused: { kind: 'refused', reason: 'apps/shop/anchors.yaml: document 0 would also change spec.template.spec.containers[1].resources.limits.memory' },
  },
  {
    name: 'refuses to edit through an alias',
    fixture: 'plain',
    source: plainSource,
    workload: gateway,
    action: { type: 'raiseResource', container: 'authz', resource: 'memory', field: 'limits', value: '256Mi' },
    refused: { kind: 'refused', reason: 'apps/shop/anchors.yaml: spec.template.spec.containers[authz].resources is an alias (*small); editing through it would change the anchored value too' },
  },
  {
    name: 'refuses an anchored scalar used elsewhere',
    fixture: 'plain',
    source: plainSource,
    workload: gateway,
    action: { type: 'restoreEnv', container: 'authz', name: 'TIMEOUT', value: '10s' },
    refused: { kind: 'refused', reason: 'apps/shop/anchors.yaml: spec.template.spec.containers[authz].env[TIMEOUT].value is anchored as &timeout and aliased elsewhere; editing it would change those fields too' },
  },
  {
    name: 'refuses a workload defined twice',
    fixture: 'plain',
    source: { ...plainSource, path: 'apps/dup' },
    workload: workload('Deployment', 'api', undefined, [{ name: 'api', image: 'ghcr.io/acme/api:1.0.0' }]),
    action: { type: 'setImageTag', container: 'api', tag: '1.0.1' },
    refused: { kind: 'not-located', reason: 'Deployment api is defined 2 times in apps/dup (apps/dup/api-a.yaml#0, apps/dup/api-b.yaml#0); cannot tell which one is live' },
  },
  {
    name: 'does not look into subfolders of a directory Argo CD reads without recurse',
    fixture: 'plain',
    source: { ...plainSource, recurse: false },
    workload: cleanup,
    action: { type: 'raiseResource', container: 'cleanup', resource: 'memory', field: 'limits', value: '128Mi' },
    refused: { kind: 'not-located', reason: 'no CronJob shop/cart-cleanup among the 6 manifests of apps/shop' },
  },
  {
    name: 'restores an env var that was removed, after the others',
    fixture: 'plain',
    source: plainSource,
    workload: web,
    action: { type: 'restoreEnv', container: 'web', name: 'LOG_FORMAT', value: 'json' },
    diff: `--- a/apps/shop/web.yaml
+++ b/apps/shop/web.yaml
@@ -37,6 +37,8 @@
                 configMapKeyRef:
                   name: web-flags
                   key: flags   # was "flags.v1" until 2024-03
+            - name: LOG_FORMAT
+              value: json
           readinessProbe:
             httpGet:
               path: /healthz
`,
  },
  {
    name: 'reads only what an Argo CD exclude glob leaves',
    fixture: 'plain',
    source: { ...plainSource, exclude: 'nested/*' },
    workload: cleanup,
    action: { type: 'raiseResource', container: 'cleanup', resource: 'memory', field: 'limits', value: '128Mi' },
    refused: { kind: 'not-located', reason: 'no CronJob shop/cart-cleanup among the 6 manifests of apps/shop' },
  },
];

for (const c of cases) test(c.name, () => checkCase(c).then(() => undefined));

const named = (name: string) => cases.find((c) => c.name === name) as Expected;

test('0644, an on: key and CRLF endings survive edits elsewhere in their files', async () => {
  const [w] = await checkCase(named('fits a request in a nested flow map, leaving 0644 as written'));
  assert.match(w?.after ?? '', /defaultMode: 0644 {3}# octal: must not become 644\n/);
  const [g] = await checkCase(named('edits one document of a file whose other document has an on: key'));
  assert.match(g?.after ?? '', /\n {8}on: yes\n/);
  const [r] = await checkCase(named('adds new lines with CRLF endings'));
  assert.doesNotMatch(r?.after ?? '', /(^|[^\r])\n/);
});
