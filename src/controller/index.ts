export { systemClock, sleepOn, withDeadline, type Clock, type Timer } from './clock.ts';
export { FakeClock } from './fake-clock.ts';
export {
  defaultControllerRateLimiter, exponentialBackoffRateLimiter, tokenBucketRateLimiter, maxOfRateLimiter,
  DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_QPS, DEFAULT_BURST,
  type RateLimiter, type ControllerRateLimiterOptions, type ExponentialBackoffOptions, type TokenBucketOptions,
} from './rate-limiter.ts';
export { WorkQueue, type WorkQueueOptions, type WorkQueueStats } from './work-queue.ts';
export { ControllerLoop } from './controller-loop.ts';
export { runWorkers, type Reconcile, type ReconcileOutcome, type ReconcileResult, type WorkerHooks } from './run-workers.ts';
export { TerminalError, ReconcilePanicError, isTerminalError } from './errors.ts';
export { LeaderElector, LeaderElectionError, type LeaderCallbacks, type LeaderElectorOptions } from './leader-election.ts';
export { LeaseLock, LeaseLockError, type LeaderElectionRecord, type LeaseApi, type LeaseLockErrorReason } from './lease-lock.ts';
