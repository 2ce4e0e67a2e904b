import type { V1Lease } from '@kubernetes/client-node';
import type { KubeClient } from '../k8s/kube-client.ts';

/** The three calls leader election makes: the API server's (leaseApi), or a fake in unit tests. */
export interface LeaseApi {
  readNamespacedLease(param: { name: string; namespace: string }): Promise<V1Lease>;
  createNamespacedLease(param: { namespace: string; body: V1Lease }): Promise<V1Lease>;
  replaceNamespacedLease(param: { name: string; namespace: string; body: V1Lease }): Promise<V1Lease>;
}

/** The coordination.k8s.io Lease endpoints of a cluster. */
export function leaseApi(client: KubeClient): LeaseApi {
  const leases = (namespace: string) => `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  return {
    readNamespacedLease: ({ name, namespace }) => client.get<V1Lease>(`${leases(namespace)}/${name}`),
    createNamespacedLease: ({ namespace, body }) => client.create<V1Lease>(leases(namespace), body),
    replaceNamespacedLease: ({ name, namespace, body }) => client.replace<V1Lease>(`${leases(namespace)}/${name}`, body),
  };
}

/** client-go's LeaderElectionRecord, as stored in a Lease's spec. */
export interface LeaderElectionRecord {
  /** Empty when nobody holds the lease (after a release). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: Date;
  renewTime?: Date;
  leaseTransitions: number;
}

export type LeaseLockErrorReason = 'conflict' | 'already-exists' | 'not-found' | 'timeout' | 'api';

export class LeaseLockError extends Error {
  readonly reason: LeaseLockErrorReason;
  /** The API server's HTTP status, when it answered. */
  readonly status: number | undefined;
  constructor(message: string, reason: LeaseLockErrorReason, status: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LeaseLockError';
    this.reason = reason;
    this.status = status;
  }
}

/**
 * One Lease object, read and written with optimistic concurrency (client-go's LeaseLock):
 * every write carries the resourceVersion of the copy this lock last saw, so a write based
 * on a stale read fails with 409 instead of overwriting someone else's claim.
 */
export class LeaseLock {
  readonly namespace: string;
  readonly name: string;
  private readonly api: LeaseApi;
  private lease: V1Lease | undefined;

  constructor(api: LeaseApi, namespace: string, name: string) {
    this.api = api;
    this.namespace = namespace;
    this.name = name;
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The current record and its resourceVersion, or undefined when the Lease does not exist. */
  async get(): Promise<{ record: LeaderElectionRecord; resourceVersion: string } | undefined> {
    try {
      this.lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace });
    } catch (error) {
      const failure = this.wrap('read', error);
      if (failure.reason === 'not-found') return undefined;
      throw failure;
    }
    return { record: toRecord(this.lease), resourceVersion: this.lease.metadata?.resourceVersion ?? '' };
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    const body: V1Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: toSpec(record) };
    try {
      this.lease = await this.api.createNamespacedLease({ namespace: this.namespace, body });
    } catch (error) {
      throw this.wrap('create', error);
    }
  }

  /** Replaces the spec of the copy last read or written; fails with reason 'conflict' if it changed since. */
  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new LeaseLockError(`lease ${this.describe()} must be read or created before it is updated`, 'api', undefined);
    // Server-managed fields go back as read, except managedFields, which the server keeps
    // when they are left out (sending them would replace them).
    const body: V1Lease = { ...this.lease, metadata: { ...this.lease.metadata, managedFields: undefined }, spec: toSpec(record) };
    try {
      this.lease = await this.api.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body });
    } catch (error) {
      throw this.wrap('update', error);
    }
  }

  /** The holder in the copy last read or written, if any. */
  holder(): string | undefined {
    return this.lease?.spec?.holderIdentity;
  }

  /**
   * Gives the lease up as client-go's release does: an empty holder and a 1 s lease, so
   * followers take over at their next attempt. After a 409 (a renewal of ours that was
   * still in flight) it reads again and retries once if the lease still names `identity`.
   */
  async release(identity: string, now: Date): Promise<void> {
    for (let tries = 0; ; tries += 1) {
      const transitions = this.lease?.spec?.leaseTransitions ?? 0;
      try {
        await this.update({ holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: transitions });
        return;
      } catch (error) {
        if (tries > 0 || !(error instanceof LeaseLockError) || error.reason !== 'conflict') throw error;
      }
      const found = await this.get();
      if (found?.record.holderIdentity !== identity) return;
    }
  }

  private wrap(action: string, error: unknown): LeaseLockError {
    // KubeApiError carries the HTTP status as `code` (as client-node's ApiException does).
    const status = typeof (error as { code?: unknown } | undefined)?.code === 'number' ? (error as { code: number }).code : undefined;
    const reason: LeaseLockErrorReason = status === 404 ? 'not-found' : status === 409 ? (action === 'create' ? 'already-exists' : 'conflict') : 'api';
    const detail = status === undefined ? (error instanceof Error ? error.message : String(error)) : `HTTP ${status}`;
    return new LeaseLockError(`${action} lease ${this.describe()}: ${detail}`, reason, status, { cause: error });
  }
}

function toSpec(record: LeaderElectionRecord): NonNullable<V1Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime ? microTime(record.acquireTime) as unknown as Date : undefined,
    renewTime: record.renewTime ? microTime(record.renewTime) as unknown as Date : undefined,
    leaseTransitions: record.leaseTransitions,
  };
}

function toRecord(lease: V1Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: toDate(spec.acquireTime),
    renewTime: toDate(spec.renewTime),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** The API accepts a MicroTime only with exactly 6 fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

// Leases arrive as JSON, so times are strings (client-node's types say Date).
function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
