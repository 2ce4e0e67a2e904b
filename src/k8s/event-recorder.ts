import { createHash } from 'node:crypto';
import type { CoreV1Event, V1ObjectReference } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.ts';

export type EventType = 'Normal' | 'Warning';

/**
 * Writes Kubernetes Events from the operator. The same (object, reason, message) updates
 * one Event's count instead of adding another, as client-go's correlator does, so a
 * reconcile loop that keeps finding the same problem does not flood the namespace.
 */
export class EventRecorder {
  private readonly client: KubeClient;
  private readonly component: string;

  constructor(client: KubeClient, component = 'gopherguard') {
    this.client = client;
    this.component = component;
  }

  async record(object: V1ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = object.namespace ?? 'default';
    const digest = createHash('sha256').update([object.uid, object.kind, object.name, reason, message].join('\u0000')).digest('hex').slice(0, 12);
    const name = `${object.name}.${digest}`;
    // metav1.Time is whole seconds.
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const events = `/api/v1/namespaces/${namespace}/events`;
    try {
      await this.client.create(events, {
        metadata: { name, namespace },
        involvedObject: object,
        type, reason, message: message.slice(0, 1024),
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.component,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
      });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      const current = await this.client.get<CoreV1Event>(`${events}/${name}`);
      await this.client.replace(`${events}/${name}`, { ...current, count: (current.count ?? 1) + 1, lastTimestamp: now });
    }
  }
}
