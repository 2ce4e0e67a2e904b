import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valuesRefs, workloadTemplates, writtenInTemplate } from './helm-templates.ts';

const t = (text: string, path = 'templates/deployment.yaml') => ({ path, text });

test('finds the values key behind a container field, whole blocks and leaves alike', () => {
  const whole = t('kind: Deployment\n  resources:\n    {{- toYaml .Values.resources | nindent 12 }}\n');
  assert.deepEqual(valuesRefs([whole], ['resources', 'limits', 'memory'], false), [{ path: ['resources', 'limits', 'memory'], style: 'field', template: whole.path }]);
  const nested = t('kind: Deployment\n  {{- with .Values.controller.resources }}\n  resources: {{- toYaml . | nindent 4 }}\n  {{- end }}\n');
  assert.deepEqual(valuesRefs([nested], ['resources', 'requests', 'cpu'], false), [{ path: ['controller', 'resources', 'requests', 'cpu'], style: 'field', template: nested.path }]);
  const leaf = t('memory: {{ .Values.app.resources.limits.memory | quote }}\n');
  assert.deepEqual(valuesRefs([leaf], ['resources', 'limits', 'memory'], false), [{ path: ['app', 'resources', 'limits', 'memory'], style: 'field', template: leaf.path }]);
  const env = t('env: {{- toYaml $.Values.env | nindent 2 }}\n');
  assert.deepEqual(valuesRefs([env], ['env', { name: 'A' }, 'value'], false), [{ path: ['env', { name: 'A' }, 'value'], style: 'field', template: env.path }]);
});

test('finds the image tag, or the whole image string', () => {
  const tag = t('image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"');
  assert.deepEqual(valuesRefs([tag], ['image'], true), [{ path: ['image', 'tag'], style: 'image-tag', template: tag.path }]);
  const whole = t('image: {{ .Values.worker.image | quote }}');
  assert.deepEqual(valuesRefs([whole], ['image'], true), [{ path: ['worker', 'image'], style: 'image-string', template: whole.path }]);
});

test('refuses references inside computations, and two prefixes in one template', () => {
  assert.match(String(valuesRefs([t('memory: {{ mul .Values.resources.limits.memory 2 }}')], ['resources', 'limits', 'memory'], false)), /computes .* with mul/);
  assert.match(String(valuesRefs([t('resources: {{ tpl (toYaml .Values.resources) . }}')], ['resources', 'limits', 'memory'], false)), /with tpl/);
  const two = t('{{ toYaml .Values.a.resources }}\n{{ toYaml .Values.b.resources }}');
  assert.match(String(valuesRefs([two], ['resources', 'limits', 'memory'], false)), /reads .Values.a.resources and .Values.b.resources/);
});

test('tells which templates render a kind, and how a template writes a field itself', () => {
  const templates = [t('kind: Deployment\n'), t('kind: "StatefulSet"\n', 'templates/sts.yaml'), t('kind: Service\n', 'templates/svc.yaml')];
  assert.deepEqual(workloadTemplates(templates, 'StatefulSet').map((x) => x.path), ['templates/sts.yaml']);
  const written = t('resources:\n  requests:\n    memory: 1Gi\n  limits:\n    memory: {{ .Values.mb }}Mi\n');
  assert.equal(writtenInTemplate(written, ['resources', 'limits', 'memory']), 'templates/deployment.yaml computes memory as {{ .Values.mb }}Mi');
  assert.equal(writtenInTemplate(written, ['resources', 'requests', 'memory']), 'templates/deployment.yaml writes memory: 1Gi itself');
  assert.equal(writtenInTemplate(written, ['startupProbe']), undefined);
});
