import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from './redactor.ts';
import { redactObject, SECRET_ENV_NAME } from './structural.ts';

const redactor = new Redactor();

function deployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'orders-api',
      namespace: 'payments',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"containers":[{"env":[{"name":"DB_PASSWORD","value":"hunter2"}]}]}}}}',
        'deployment.kubernetes.io/revision': '7',
        'example.com/webhook': 'https://hooks.slack.com/services/T0ABCDEFGH/B0ABCDEFGH/Zq8Kx2Lm4Np6Rs8Tv0Wy2Ab4',
      },
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
    },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'orders-api' } },
        spec: {
          initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.4', env: [{ name: 'PGPASSWORD', value: 'Winter2024' }] }],
          containers: [{
            name: 'api',
            image: 'ghcr.io/acme/orders-api:v2.14.3',
            args: ['--listen=:8080', '--db-password=Tr0ub4dor3x'],
            env: [
              { name: 'LOG_LEVEL', value: 'debug' },
              { name: 'DB_PASSWORD', value: 'hunter2' },
              { name: 'STRIPE_KEY', value: 'rk_live_abc' },
              { name: 'OAUTH_CLIENT_SECRET', value: 'x' },
              { name: 'DATABASE_URL', value: 'postgres://orders:S3cr3tPassw0rd@orders-db:5432/orders' },
              { name: 'EMPTY_TOKEN', value: '' },
              { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'orders-api', key: 'token' } } },
            ],
          }],
        },
      },
    },
  };
}

describe('redactObject', () => {
  it('replaces secret-named env values, redacts the rest as text, and drops last-applied and managedFields', () => {
    const input = deployment();
    const before = structuredClone(input);
    const { object, count, rules } = redactObject(input, redactor);
    assert.deepEqual(input, before, 'the input is not changed');

    const container = object.spec.template.spec.containers[0];
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, 'value' in e ? e.value : e.valueFrom]));
    assert.deepEqual(env, {
      LOG_LEVEL: 'debug',
      DB_PASSWORD: '[REDACTED:secret-env-name]',
      STRIPE_KEY: '[REDACTED:secret-env-name]',
      OAUTH_CLIENT_SECRET: '[REDACTED:secret-env-name]',
      DATABASE_URL: 'postgres://orders:[REDACTED:url-credentials]@orders-db:5432/orders',
      EMPTY_TOKEN: '',
      API_TOKEN: { secretKeyRef: { name: 'orders-api', key: 'token' } },
    });
    assert.deepEqual(object.spec.template.spec.initContainers[0]?.env, [{ name: 'PGPASSWORD', value: '[REDACTED:secret-env-name]' }]);
    assert.deepEqual(container?.args, ['--listen=:8080', '--db-password=[REDACTED:password-assignment]']);

    assert.equal(object.metadata.managedFields, undefined);
    assert.deepEqual(Object.keys(object.metadata.annotations), ['deployment.kubernetes.io/revision', 'example.com/webhook']);
    assert.equal(object.metadata.annotations['example.com/webhook'], '[REDACTED:slack-webhook-url]');

    const json = JSON.stringify(object);
    for (const secret of ['hunter2', 'Winter2024', 'rk_live_abc', 'S3cr3tPassw0rd', 'Tr0ub4dor3x', 'Zq8Kx2Lm4Np6']) assert.ok(!json.includes(secret), secret);
    // 4 env values, 1 URL password, 1 arg, 1 annotation value, and the last-applied annotation.
    assert.equal(count, 8);
    assert.deepEqual(rules, ['last-applied-configuration', 'password-assignment', 'secret-env-name', 'slack-webhook-url', 'url-credentials']);
  });

  it('never passes on a Secret, alone or in a list, keeping only its name', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-db', namespace: 'payments', labels: { a: 'b' } }, type: 'Opaque', data: { password: 'aHVudGVyMg==' }, stringData: { token: 't0k3n' } };
    const single = redactObject(secret, redactor);
    assert.deepEqual(single.object, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-db', namespace: 'payments' }, redacted: 'Secret objects are never passed on' });
    assert.equal(single.count, 1);
    assert.deepEqual(single.rules, ['kubernetes-secret-object']);

    const list = redactObject({ apiVersion: 'v1', kind: 'List', items: [deployment(), secret] }, redactor);
    const json = JSON.stringify(list.object);
    assert.ok(!json.includes('aHVudGVyMg==') && !json.includes('t0k3n'));
    assert.equal((list.object.items[1] as { redacted?: string }).redacted, 'Secret objects are never passed on');
    assert.equal(redactObject({ apiVersion: 'v1', kind: 'SecretList', items: [secret] }, redactor).object.items, undefined);
  });

  it('replaces ConfigMap values whose keys look secret, and redacts the others as text', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders' }, data: { 'db.password': 'hunter2', 'app.properties': 'spring.datasource.password=Winter2024\nserver.port=8080', 'log.level': 'info' } };
    const { object, count, rules } = redactObject(cm, redactor);
    assert.deepEqual(object.data, { 'db.password': '[REDACTED:secret-config-key]', 'app.properties': 'spring.datasource.password=[REDACTED:password-assignment]\nserver.port=8080', 'log.level': 'info' });
    assert.equal(count, 2);
    assert.deepEqual(rules, ['password-assignment', 'secret-config-key']);
  });

  it('keeps references that only name a Secret', () => {
    const helmRelease = { spec: { valuesFrom: [{ kind: 'Secret', name: 'orders-values', valuesKey: 'values.yaml' }] } };
    assert.deepEqual(redactObject(helmRelease, redactor).object, helmRelease);
  });

  it('leaves plain values, numbers and booleans alone', () => {
    const plain = { a: 1, b: true, c: null, d: ['x', 2], e: { f: 'no secrets here' } };
    const result = redactObject(plain, redactor);
    assert.deepEqual(result.object, plain);
    assert.equal(result.count, 0);
  });
});

describe('SECRET_ENV_NAME', () => {
  it('matches the usual credential names and not ordinary ones', () => {
    for (const name of ['DB_PASSWORD', 'PGPASS', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'GOOGLE_APPLICATION_CREDENTIALS', 'BASIC_AUTH', 'TLS_PRIVATE_KEY', 'CA_CERT', 'SENTRY_DSN', 'REDIS_CONN', 'JWT_SIGNING', 'apiKey']) {
      assert.ok(SECRET_ENV_NAME.test(name), name);
    }
    for (const name of ['LOG_LEVEL', 'PORT', 'DATABASE_URL', 'REPLICAS', 'NODE_ENV', 'TZ', 'GOMAXPROCS']) assert.ok(!SECRET_ENV_NAME.test(name), name);
  });
});
