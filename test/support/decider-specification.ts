import assert from 'node:assert/strict';

/** A decider as the specification sees it: a fresh state, how events change it, and what it decides. */
export interface SpecifiedDecider<State, Event, Input, Decision> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(state: State, input: Input, now: Date): Decision;
}

export interface Then<State, Decision> {
  /** The decision has these fields, each deep-equal (fields not named are not checked). */
  then(expected: Partial<Decision>): void;
  /** Free-form checks of the decision and the state it was taken in. */
  thenCheck(check: (decision: Decision, state: State) => void): void;
}

/**
 * given(events).when(input).then(decision), after emmett's DeciderSpecification: the state is only ever
 * what the given events make it, so each spec names its whole history.
 */
export function deciderSpecification<State, Event, Input, Decision>(decider: SpecifiedDecider<State, Event, Input, Decision>, defaultNow: Date) {
  return {
    given: (...events: Event[]) => ({
      when(input: Input, now: Date = defaultNow): Then<State, Decision> {
        const run = () => {
          let state = decider.initialState();
          for (const event of events) state = decider.evolve(state, event);
          return { state, decision: decider.decide(state, input, now) };
        };
        return {
          then(expected) {
            const { decision } = run();
            for (const [field, value] of Object.entries(expected)) {
              assert.deepEqual((decision as Record<string, unknown>)[field], value, `decision.${field}`);
            }
          },
          thenCheck(check) {
            const { state, decision } = run();
            check(decision, state);
          },
        };
      },
    }),
  };
}
