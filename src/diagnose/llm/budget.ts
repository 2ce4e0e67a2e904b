// Token budgets bound what an incident flood can cost: per incident (one incident cannot
// eat the hour) and per rolling hour (per watch, as the AegisWatch sets them).
import type { Clock } from '../../controller/clock.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface BudgetLimits {
  perIncident: number;
  perHour: number;
}

/** Tokens set aside before a call; settled with what the provider reported after it. */
export interface Reservation {
  settle(actualTokens: number): void;
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; reason: string };

export class TokenBudget {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly maxIncidents: number;
  private readonly hours = new Map<string, Array<{ at: number; tokens: number }>>();
  private readonly incidents = new Map<string, number>();

  constructor(clock: Pick<Clock, 'now'>, options: { maxIncidents?: number } = {}) {
    this.clock = clock;
    this.maxIncidents = options.maxIncidents ?? 10_000;
  }

  /** Tokens spent in the last hour in `scope`. */
  spentThisHour(scope: string): number {
    const since = this.clock.now() - HOUR_MS;
    const entries = (this.hours.get(scope) ?? []).filter((e) => e.at > since);
    this.hours.set(scope, entries);
    return entries.reduce((sum, e) => sum + e.tokens, 0);
  }

  spentOnIncident(incident: string): number {
    return this.incidents.get(incident) ?? 0;
  }

  /**
   * Sets `estimate` tokens aside in both budgets, or says which one is spent. Reserving
   * (not checking) keeps concurrent calls from all passing the same check. `alreadySpent`
   * is what the incident's status records, so the incident budget survives a restart.
   */
  reserve(scope: string, incident: string, estimate: number, limits: BudgetLimits, alreadySpent = 0): ReserveResult {
    const incidentSpent = Math.max(this.spentOnIncident(incident), alreadySpent);
    if (incidentSpent + estimate > limits.perIncident) {
      return { ok: false, reason: `incident token budget spent (${incidentSpent} of ${limits.perIncident} tokens used, the next call needs about ${estimate})` };
    }
    const hourSpent = this.spentThisHour(scope);
    if (hourSpent + estimate > limits.perHour) {
      return { ok: false, reason: `hourly token budget spent (${hourSpent} of ${limits.perHour} tokens in the last hour)` };
    }
    const entry = { at: this.clock.now(), tokens: estimate };
    this.hours.set(scope, [...(this.hours.get(scope) ?? []), entry]);
    this.setIncident(incident, incidentSpent + estimate);
    let settled = false;
    return {
      ok: true,
      reservation: {
        settle: (actual) => {
          if (settled) return;
          settled = true;
          entry.tokens = actual;
          this.setIncident(incident, this.spentOnIncident(incident) - estimate + actual);
        },
      },
    };
  }

  private setIncident(incident: string, tokens: number): void {
    this.incidents.delete(incident);
    this.incidents.set(incident, tokens);
    for (const oldest of this.incidents.keys()) {
      if (this.incidents.size <= this.maxIncidents) break;
      this.incidents.delete(oldest);
    }
  }
}
