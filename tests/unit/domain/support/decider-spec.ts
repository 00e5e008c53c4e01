import type { Actor, DecisionContext } from '../../../../domain/shared/actor';
import type { Decider } from '../../../../domain/shared/decider';
import { DomainError } from '../../../../domain/shared/errors';

/** A fixed moment and a producer actor, so specs read the same every run. */
export const NOW = new Date('2026-03-10T02:00:00.000Z'); // Tuesday 10:00 CST
export const PRODUCER: Actor = { userId: 'u-producer', orgId: 'ent-1', role: 'producer', regionCode: '110101' };
export const defaultContext: DecisionContext = { now: NOW, actor: PRODUCER };

type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * given / when / then over a decider:
 *   spec(decider, ctx).given([events]).when(command).then([expected events])
 *   spec(decider, ctx).given([events]).when(command).thenThrows(BusinessRuleError, 'INSUFFICIENT_QUANTITY')
 * `when` takes an optional context that replaces the default one for that command.
 */
export function spec<C, E, S, X>(decider: Decider<C, E, S, X>, defaultCtx?: X) {
  return {
    given(events: E[]) {
      return {
        when(command: C, ctx?: X) {
          const context = (ctx ?? defaultCtx ?? defaultContext) as X;
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), context);
          return {
            /** The decided events equal `expected`; returns them and the state after them. */
            then(expected: E[]): { events: E[]; state: S } {
              const produced = run();
              expect(produced).toEqual(expected);
              const state = [...events, ...produced].reduce(decider.evolve, decider.initialState());
              return { events: produced, state };
            },
            /** Like `then` but checks only what `check` asserts (for events with computed parts). */
            thenMatches(check: (produced: E[], state: S) => void): void {
              const produced = run();
              check(produced, [...events, ...produced].reduce(decider.evolve, decider.initialState()));
            },
            /** decide throws an instance of `errorClass`; with `code`, its DomainError code (or field for ValidationError) too. */
            thenThrows(errorClass: ErrorClass, code?: string): Error {
              let thrown: unknown;
              try {
                run();
              } catch (e) {
                thrown = e;
              }
              if (thrown === undefined) throw new Error(`expected ${errorClass.name} but decide returned events`);
              expect(thrown).toBeInstanceOf(errorClass);
              if (code !== undefined) {
                const err = thrown as DomainError & { field?: string };
                expect([err.code, err.field]).toContain(code);
              }
              return thrown as Error;
            },
          };
        },
      };
    },
  };
}
