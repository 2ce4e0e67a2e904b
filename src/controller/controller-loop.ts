import { runWorkers, type Reconcile, type WorkerHooks } from './run-workers.ts';
import type { WorkQueue } from './work-queue.ts';

/**
 * What every controller owns besides its reconcile: the workers on its queue and the
 * handlers it put on the shared cache. Stopping removes the handlers (so a new leader term
 * does not double them), drains the queue and waits for the workers.
 */
export class ControllerLoop {
  private readonly queue: WorkQueue;
  private readonly subscriptions: Array<() => void> = [];
  private workers: Promise<void> | undefined;

  constructor(queue: WorkQueue) {
    this.queue = queue;
  }

  /** Keeps what Informer.on returned, to undo it on stop. */
  subscribe(...unsubscribes: Array<() => void>): void {
    this.subscriptions.push(...unsubscribes);
  }

  run(concurrency: number, reconcile: Reconcile, hooks: WorkerHooks): void {
    this.workers = runWorkers(this.queue, concurrency, reconcile, hooks);
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    await this.queue.shutDownWithDrain();
    await this.workers;
  }
}
