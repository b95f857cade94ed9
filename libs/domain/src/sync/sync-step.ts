import type { SyncDecision } from './sync-decider.js';
import { isIdle, nextDueAt, type SyncProcess } from './sync-process.js';

/**
 * How a runner's step ended: `busy` (it recorded or sent something: step again at once), `waiting` (work remains,
 * none of it due now) or `idle` (nothing pending, open or under way).
 */
export type StepOutcome = 'busy' | 'waiting' | 'idle';

/** The outcome of a step whose last decision was `decision`, once its notes and events are applied to `state`. */
export function stepOutcome(state: SyncProcess, decision: SyncDecision, nowMs: number): StepOutcome {
  if (decision.events.length || decision.calls.length) return 'busy';
  return isIdle(state, nowMs) ? 'idle' : 'waiting';
}

/** The shortest pause: a job query already due is not a reason to spin. */
export const MIN_PAUSE_MS = 10;

/**
 * How long a runner that is not busy sleeps (a settling call may wake it sooner): until the next job query or
 * re-send falls due, but at most `pollIntervalMs`, as that is how often it looks for new SIS changes.
 */
export function pauseMs(state: SyncProcess | undefined, nowMs: number, pollIntervalMs: number): number {
  const dueIn = (state ? nextDueAt(state) : Infinity) - nowMs;
  return Math.max(MIN_PAUSE_MS, Math.min(pollIntervalMs, dueIn));
}
