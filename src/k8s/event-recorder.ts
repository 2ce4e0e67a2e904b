import { createHash } from 'node:crypto';
import { CoreV1Api, type KubeConfig, type V1ObjectReference } from '@kubernetes/client-node';

export type EventType = 'Normal' | 'Warning';

/**
 * Writes Kubernetes Events from the operator. The same (object, reason, message) updates
 * one Event's count instead of adding another, as client-go's correlator does, so a
 * reconcile loop that keeps finding the same problem does not flood the namespace.
 */
export class EventRecorder {
  private readonly core: CoreV1Api;
  private readonly component: string;

  constructor(kubeConfig: KubeConfig, component = 'gopherguard') {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.component = component;
  }

  async record(object: V1ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = object.namespace ?? 'default';
    const digest = createHash('sha256').update([object.uid, object.kind, object.name, reason, message].join('\u0000')).digest('hex').slice(0, 12);
    const name = `${object.name}.${digest}`;
    const now = new Date();
    try {
      await this.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name, namespace },
          involvedObject: object,
          type, reason, message: message.slice(0, 1024),
          source: { component: this.component },
          reportingComponent: this.component,
          reportingInstance: this.component,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
        },
      });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      const current = await this.core.readNamespacedEvent({ name, namespace });
      await this.core.replaceNamespacedEvent({ name, namespace, body: { ...current, count: (current.count ?? 1) + 1, lastTimestamp: now } });
    }
  }
}
