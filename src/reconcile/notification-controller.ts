// Chat notifications for the incidents of each watch: the incident's phase changes that
// are news (src/notify/events.ts) go to the watch's Slack, Discord and webhook targets,
// whose URLs come from Secrets. Sending happens in the background (the Notifier's queue):
// a slow or failing chat never holds up the cache or another controller.
import { parseAegisWatch } from '../api/crd.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { readSecret } from '../k8s/secrets.ts';
import { eventFor, Notifier, type NotificationEvent, type NotificationTarget, type NotifierStats } from '../notify/index.ts';
import type { ClusterCache } from './cluster-cache.ts';

export interface NotificationControllerOptions {
  client: KubeClient;
  cache: ClusterCache;
  redact: (text: string) => string;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export class NotificationController {
  private readonly options: NotificationControllerOptions;
  /** One per watch ("ns/name"): its rate budget and de-duplication memory. */
  private readonly notifiers = new Map<string, Notifier>();
  private unsubscribe: (() => void) | undefined;

  constructor(options: NotificationControllerOptions) {
    this.options = options;
  }

  start(): void {
    this.unsubscribe = this.options.cache.incidents.on('update', (incident, old) => {
      const event = eventFor(old as HealingIncident | undefined, incident);
      if (event) void this.send(incident, event).catch((error: unknown) => this.options.log?.('warn', 'notification not sent', { incident: incident.metadata.name, error: String(error) }));
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.notifiers.values()].map((n) => n.close(5000)));
    this.notifiers.clear();
  }

  /** Sent, failed, dropped and retried messages by target type, over all watches. */
  stats(): NotifierStats[] {
    return [...this.notifiers.values()].map((n) => n.stats());
  }

  private async send(incident: HealingIncident, event: NotificationEvent): Promise<void> {
    const namespace = incident.metadata.namespace ?? '';
    const watchObject = this.options.cache.watches.get(namespace, incident.spec.watch);
    const parsed = watchObject ? parseAegisWatch(watchObject) : undefined;
    if (!parsed?.ok || !parsed.value.spec.notifications?.length) return;
    const spec = parsed.value.spec;
    // A proposal is news only in suggest mode, where no PR follows it; otherwise the PR is.
    if (event.name === 'fixProposed' && spec.mode !== 'suggest') return;
    const targets: NotificationTarget[] = [];
    for (const notification of spec.notifications ?? []) {
      // Read when there is news, so a rotated webhook URL is used at once; never logged.
      const url = (await readSecret(this.options.client, namespace, notification.secretRef.name))?.[notification.secretRef.key];
      if (!url) {
        this.options.log?.('warn', 'notification target has no URL', { watch: incident.spec.watch, secret: notification.secretRef.name, key: notification.secretRef.key });
        continue;
      }
      targets.push({ type: notification.type, url, style: spec.personality, events: notification.events });
    }
    const key = `${namespace}/${incident.spec.watch}`;
    let notifier = this.notifiers.get(key);
    if (!notifier) {
      notifier = new Notifier({
        targets, redact: this.options.redact,
        ...(this.options.log ? { log: this.options.log } : {}),
      });
      this.notifiers.set(key, notifier);
    } else {
      notifier.setTargets(targets);
    }
    notifier.notify(incident, event);
  }
}
