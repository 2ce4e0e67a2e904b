import type { V1Lease } from '@kubernetes/client-node';
import { KubeApiError } from '../k8s/kube-client.ts';
import type { Clock } from './clock.ts';
import type { LeaseApi } from './lease-lock.ts';

const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/**
 * One Lease endpoint in memory for unit tests, answering as the API server does: 404,
 * 409 on a create that exists or a replace with a stale resourceVersion, 422 for a
 * MicroTime without 6 fractional digits, and times as strings on the way back (as
 * JSON carries them). `mode` makes it fail or hang.
 */
export class FakeLeaseApi implements LeaseApi {
  lease: V1Lease | undefined;
  mode: 'up' | 'down' | 'hang' = 'up';
  /** Every accepted write, with the fake time it happened. */
  readonly writes: Array<{ at: number; holder: string }> = [];
  private version = 0;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  async readNamespacedLease(_param: { name: string; namespace: string }): Promise<V1Lease> {
    await this.gate();
    if (!this.lease) throw new KubeApiError(404, 'NotFound', 'NotFound');
    return structuredClone(this.lease);
  }

  async createNamespacedLease({ body }: { namespace: string; body: V1Lease }): Promise<V1Lease> {
    await this.gate();
    if (this.lease) throw new KubeApiError(409, 'AlreadyExists', 'AlreadyExists');
    return this.store(body);
  }

  async replaceNamespacedLease({ body }: { name: string; namespace: string; body: V1Lease }): Promise<V1Lease> {
    await this.gate();
    if (!this.lease) throw new KubeApiError(404, 'NotFound', 'NotFound');
    if (body.metadata?.resourceVersion !== this.lease.metadata?.resourceVersion) throw new KubeApiError(409, 'Conflict', 'Conflict');
    return this.store(body);
  }

  /** A write by someone else (another replica, a person with kubectl), merged into the spec. */
  overwrite(spec: NonNullable<V1Lease['spec']>): void {
    this.store({ ...this.lease, spec: { ...this.lease?.spec, ...spec } });
  }

  private store(body: V1Lease): V1Lease {
    const wire = JSON.parse(JSON.stringify(body)) as V1Lease;
    for (const field of ['acquireTime', 'renewTime'] as const) {
      const value = wire.spec?.[field] as unknown;
      if (value !== undefined && !MICRO_TIME.test(String(value))) throw new KubeApiError(422, 'Invalid', `Invalid: spec.${field} ${String(value)}`);
    }
    wire.metadata = { ...wire.metadata, resourceVersion: String(++this.version) };
    this.lease = wire;
    this.writes.push({ at: this.clock.now(), holder: wire.spec?.holderIdentity ?? '' });
    return structuredClone(wire);
  }

  private async gate(): Promise<void> {
    if (this.mode === 'down') throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    if (this.mode === 'hang') await new Promise(() => undefined);
  }
}
