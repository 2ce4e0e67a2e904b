// A light line for every diagnosis, when the watch's personality is witty. The model
// writes its own; these are for the rules' answers and for when the model's is unusable.
import { createHash } from 'node:crypto';
import type { SignalClass } from '../api/healing-incident.ts';

export type Personality = 'witty' | 'plain';

const LINES: Record<SignalClass, readonly string[]> = {
  CrashLoop: [
    'It keeps getting back up. Admirable, if not yet useful.',
    'Restart number next: same plot, same ending.',
    'Persistence is a virtue; crashing persistently is a bug.',
  ],
  OOMKilled: [
    'It asked for more memory. The kernel said no, firmly.',
    'Big thoughts, small limit.',
    'The container ate its whole lunch and then some.',
  ],
  ImagePull: [
    'The registry looked everywhere; that tag was not there.',
    'You cannot run what you cannot pull.',
    'A typo in a tag: small letters, big outage.',
  ],
  ConfigError: [
    'Everything is ready except the thing it was told to read.',
    'The app is fine; its instructions went missing.',
    'One missing key, one very confused pod.',
  ],
  ProbeFailure: [
    'The app may be fine; the health check is not convinced.',
    'Knock knock. No answer on that port.',
    'Healthy on the inside, hard to prove on the outside.',
  ],
  Unschedulable: [
    'All dressed up and no node to go to.',
    'The scheduler looked at every node and sighed.',
    'It asked for more room than the cluster has.',
  ],
  RolloutStuck: [
    'The new version is waiting at the door, politely, forever.',
    'Half old, half new, fully stuck.',
    'The rollout took a step forward and stopped to think.',
  ],
  Custom: [
    'A metric you care about crossed a line you drew.',
    'Your own rule, your own alarm, now ringing.',
    'The graph went where you said it should not.',
  ],
  ErrorRate: [
    'The service is up; its answers are down.',
    'Plenty of replies, too many of them apologies.',
    'Running fine, responding less fine.',
  ],
  Latency: [
    'It answers, eventually.',
    'Fast enough for a letter, slow for an API.',
    'The requests arrive; the replies take the scenic route.',
  ],
  CpuThrottling: [
    'It wants to run faster than its quota lets it.',
    'Speed limit reached, and respected, unfortunately.',
    'Plenty of work, rationed CPU.',
  ],
  MemorySaturation: [
    'Memory is filling up like a drawer nobody empties.',
    'Close to the limit and still climbing.',
    'Not out of memory yet; working on it.',
  ],
  GitOpsSyncFailed: [
    'Git says one thing, the cluster cannot say it back.',
    'The sync tried, the manifest disagreed.',
    'Desired state: clear. Applied state: pending an apology.',
  ],
  GitOpsDegraded: [
    'Synced and still unwell.',
    'The manifest arrived; the health did not.',
    'Everything the repo asked for, nothing the users needed.',
  ],
};

/**
 * One of the built-in lines for the class, the same one every time for one incident (so a
 * re-diagnosis does not change its tone), and none with a plain personality.
 */
export function builtInWit(signalClass: SignalClass, fingerprint: string, personality: Personality = 'witty'): string | undefined {
  if (personality === 'plain') return undefined;
  const lines = LINES[signalClass];
  if (!lines?.length) return undefined;
  const index = createHash('sha256').update(fingerprint).digest().readUInt32BE(0) % lines.length;
  return lines[index];
}
