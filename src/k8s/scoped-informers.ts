// An operator told to guard several namespaces (`-n shop,pay`) may hold a Role in each
// and no ClusterRole, so it cannot list cluster-wide: it runs one informer per namespace.
// This puts them behind the same face as a single informer, so no reader knows the difference.
import type { KubernetesObject } from '@kubernetes/client-node';
import { Informer, type CachedCollection, type Handler, type InformerOptions, type InformerStats } from './informer.ts';

export class ScopedInformers<T extends KubernetesObject> implements CachedCollection<T> {
  private readonly byNamespace: Map<string, Informer<T>>;

  /** `pathFor` gives the collection path of one namespace. */
  constructor(namespaces: string[], pathFor: (namespace: string) => string, options: Omit<InformerOptions<T>, 'path'>) {
    // Each named with its namespace, so a log line says which list or watch failed.
    this.byNamespace = new Map([...new Set(namespaces)].map((ns) => [ns, new Informer<T>({ ...options, path: pathFor(ns), ...(options.name ? { name: `${options.name} in ${ns}` } : {}) })]));
  }

  on(event: 'add' | 'update' | 'delete', handler: Handler<T>): () => void {
    const offs = [...this.byNamespace.values()].map((informer) => informer.on(event, handler));
    return () => offs.forEach((off) => off());
  }

  async start(): Promise<void> {
    await Promise.all([...this.byNamespace.values()].map((informer) => informer.start()));
  }

  stop(): void {
    for (const informer of this.byNamespace.values()) informer.stop();
  }

  get hasSynced(): boolean {
    return [...this.byNamespace.values()].every((informer) => informer.hasSynced);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return namespace === undefined ? undefined : this.byNamespace.get(namespace)?.get(namespace, name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return this.byNamespace.get(namespace)?.list() ?? [];
    return [...this.byNamespace.values()].flatMap((informer) => informer.list());
  }

  /** The namespaces' figures added up; the newest event of any. */
  get stats(): InformerStats {
    const all = [...this.byNamespace.values()].map((informer) => informer.stats);
    const sum = (field: 'lists' | 'watchStarts' | 'restarts' | 'errors') => all.reduce((total, s) => total + s[field], 0);
    const last = all.map((s) => s.lastEventAt).filter((t): t is number => t !== undefined);
    return { lists: sum('lists'), watchStarts: sum('watchStarts'), restarts: sum('restarts'), errors: sum('errors'), lastEventAt: last.length > 0 ? Math.max(...last) : undefined };
  }
}
