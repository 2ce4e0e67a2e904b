import type { KubernetesObject } from '@kubernetes/client-node';
import type { GitOpsKind } from '../detect/gitops-signals.ts';
import { Informer } from '../k8s/informer.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import type { GitOpsRef } from './gitops-refs.ts';

export const GITOPS_APIS = {
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', product: 'Flux' },
  Application: { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications', product: 'Argo CD' },
} as const;

/** A scope of an informer: one namespace, or every namespace. */
export const ALL_NAMESPACES = '*';

/** What this needs of an informer; an interface so that tests can hand in fakes. */
export interface SourceInformer {
  start(): Promise<void>;
  stop(): void;
  get(namespace: string, name: string): KubernetesObject | undefined;
  on(event: 'add' | 'update' | 'delete', handler: (object: KubernetesObject) => void): void;
}

export interface GitOpsInformersOptions {
  client: KubeClient;
  /** Every add, update and delete of a cached Kustomization or Application. */
  onChange: (ref: GitOpsRef) => void;
  /** How often an API that is not installed (or not allowed) is looked for again. */
  discoveryIntervalMs?: number;
  /** How soon a first list that failed otherwise (API server busy, network) is tried again. */
  errorRetryMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  makeInformer?: (kind: GitOpsKind, scope: string) => SourceInformer;
}

interface Slot {
  kind: GitOpsKind;
  scope: string;
  informer?: SourceInformer;
  available: boolean;
  closed: boolean;
  complained: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Informers on Flux Kustomizations and Argo CD Applications, which may not be installed:
 * unlike the operator's own caches, a missing API here must not stop the operator. A first
 * list that answers 404 (no CRD) or 403 (no RBAC) is said once and tried again every few
 * minutes, so installing Flux or Argo CD later needs no restart. After the first list the
 * Informer itself retries every error.
 */
export class GitOpsInformers {
  private readonly options: GitOpsInformersOptions;
  private readonly slots = new Map<string, Slot>();
  private readonly missing = new Set<GitOpsKind>();

  constructor(options: GitOpsInformersOptions) {
    this.options = options;
  }

  /**
   * Makes a kind's informers cover exactly these scopes (namespaces, or ALL_NAMESPACES):
   * closes the others and opens the new ones, resolving once each has had its first try.
   */
  async cover(kind: GitOpsKind, scopes: Iterable<string>): Promise<void> {
    const wanted = new Set(scopes);
    for (const [key, slot] of this.slots) {
      if (slot.kind === kind && !wanted.has(slot.scope)) this.close(key, slot);
    }
    const opening: Array<Promise<void>> = [];
    for (const scope of wanted) {
      const key = `${kind} ${scope}`;
      if (this.slots.has(key)) continue;
      const slot: Slot = { kind, scope, available: false, closed: false, complained: false };
      this.slots.set(key, slot);
      opening.push(this.open(slot));
    }
    await Promise.all(opening);
  }

  get(ref: GitOpsRef): KubernetesObject | undefined {
    for (const scope of [ref.namespace, ALL_NAMESPACES]) {
      const found = this.slots.get(`${ref.kind} ${scope}`)?.informer?.get(ref.namespace, ref.name);
      if (found) return found;
    }
    return undefined;
  }

  /** True when the kind's API answered the first list in this scope. */
  isAvailable(kind: GitOpsKind, scope: string): boolean {
    return this.slots.get(`${kind} ${scope}`)?.available ?? false;
  }

  stop(): void {
    for (const [key, slot] of this.slots) this.close(key, slot);
  }

  private close(key: string, slot: Slot): void {
    slot.closed = true;
    clearTimeout(slot.timer);
    slot.informer?.stop();
    this.slots.delete(key);
  }

  private async open(slot: Slot): Promise<void> {
    const { kind, scope } = slot;
    const informer = (this.options.makeInformer ?? ((k, s) => defaultInformer(this.options, k, s)))(kind, scope);
    for (const event of ['add', 'update', 'delete'] as const) {
      informer.on(event, (object) => {
        if (!slot.closed) this.options.onChange({ kind, namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' });
      });
    }
    // Set before the first list: its add events enqueue keys that a worker may read at once.
    slot.informer = informer;
    try {
      await informer.start();
    } catch (error) {
      informer.stop();
      slot.informer = undefined;
      if (slot.closed) return;
      this.retryLater(slot, error);
      return;
    }
    if (slot.closed) {
      informer.stop();
      return;
    }
    slot.available = true;
    if (this.missing.delete(kind) || slot.complained) {
      this.options.log?.(`${GITOPS_APIS[kind].product} ${kind}s can be watched now`, { scope });
    }
  }

  private retryLater(slot: Slot, error: unknown): void {
    const { kind, scope } = slot;
    const api = GITOPS_APIS[kind];
    const code = (error as { code?: number }).code;
    const interval = this.options.discoveryIntervalMs ?? 180_000;
    const delay = code === 404 || code === 403 ? interval : Math.min(this.options.errorRetryMs ?? 15_000, interval);
    const where = scope === ALL_NAMESPACES ? '' : ` in namespace ${scope}`;
    if (code === 404) {
      // Said once per kind, not per namespace: the API is missing cluster-wide.
      if (!this.missing.has(kind)) {
        this.missing.add(kind);
        this.options.log?.(`${api.product} is not installed (no ${api.plural}.${api.group} API): failures of its ${kind}s are not detected; looking again every ${Math.round(interval / 1000)}s`);
      }
    } else if (!slot.complained) {
      const why = code === 403 ? 'not allowed to list' : 'could not list';
      this.options.log?.(`${why} ${api.plural}.${api.group}${where}; trying again every ${Math.round(delay / 1000)}s`, { error: String(error) });
    }
    slot.complained = true;
    slot.timer = setTimeout(() => void this.open(slot), delay);
    slot.timer.unref();
  }
}

function defaultInformer(options: GitOpsInformersOptions, kind: GitOpsKind, scope: string): SourceInformer {
  const { group, version, plural } = GITOPS_APIS[kind];
  const all = scope === ALL_NAMESPACES;
  return new Informer<KubernetesObject>({
    client: options.client,
    name: all ? plural : `${plural} in ${scope}`,
    path: `/apis/${group}/${version}${all ? '' : `/namespaces/${scope}`}/${plural}`,
    log: options.log,
  });
}
