import fc from 'fast-check';
import { decider, dueTransitions, LEVEL_LIMIT_HOURS, type FaultEvent, type FaultLevel, type FaultState } from '../../domain/faults';
import type { Actor } from '../../domain/shared/actor';

/**
 * Escalation under any sequence of checks, progress reports, reclassifications and resolutions, with a
 * controllable clock: the recorded history depends only on when things were reported, reclassified and
 * resolved — never on when (or how often) the deadline checks happened to run.
 */
const OPS: Actor = { userId: 'ops', orgId: 'platform', role: 'ministry-admin', regionCode: '' };
const T0 = Date.parse('2026-03-10T02:00:00.000Z');
const H = 3_600_000;

type Op = { dtMinutes: number } & ({ kind: 'check' } | { kind: 'progress' } | { kind: 'reclassify'; level: FaultLevel } | { kind: 'resolve' });
const op: fc.Arbitrary<Op> = fc.record({ dtMinutes: fc.integer({ min: 0, max: 20 * 60 }) }).chain(({ dtMinutes }) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant({ dtMinutes, kind: 'check' as const }) },
    { weight: 1, arbitrary: fc.constant({ dtMinutes, kind: 'progress' as const }) },
    { weight: 1, arbitrary: fc.constantFrom<FaultLevel>(2, 3).map((level) => ({ dtMinutes, kind: 'reclassify' as const, level })) },
    { weight: 1, arbitrary: fc.constant({ dtMinutes, kind: 'resolve' as const }) },
  ),
);

function report(level: FaultLevel): FaultEvent[] {
  return decider.decide(
    {
      type: 'ReportFault',
      data: { faultId: 'f', level, occurredAt: new Date(T0).toISOString(), place: 'p', description: 'd', affectedScope: 's', measures: 'm', expectedRecoveryAt: new Date(T0 + H).toISOString(), reporter: { name: 'ops' } },
    },
    decider.initialState(),
    { now: new Date(T0), actor: OPS },
  );
}

/** Plays the ops; `withChecks` false drops every check (the history must not change). */
function play(level: FaultLevel, ops: Op[], withChecks: boolean): { events: FaultEvent[]; state: FaultState; end: number } {
  let events = report(level);
  let state = events.reduce(decider.evolve, decider.initialState());
  let t = T0;
  for (const o of ops) {
    t += o.dtMinutes * 60_000;
    const ctx = { now: new Date(t), actor: OPS };
    let produced: FaultEvent[] = [];
    try {
      if (o.kind === 'check') produced = withChecks ? decider.decide({ type: 'CheckFaultDeadlines', data: {} }, state, ctx) : [];
      else if (o.kind === 'progress') produced = state.status === 'open' ? decider.decide({ type: 'ReportFaultProgress', data: { note: 'n' } }, state, ctx) : [];
      else if (o.kind === 'reclassify') produced = state.status === 'open' ? decider.decide({ type: 'ReclassifyFault', data: { level: o.level, reason: 'r' } }, state, ctx) : [];
      else produced = state.status === 'open' ? decider.decide({ type: 'ResolveFault', data: { resolution: 'ok' } }, state, ctx) : [];
    } catch (err) {
      if ((err as { field?: string }).field !== 'level') throw err; // reclassifying to a level not above the current one
      produced = [];
    }
    events = [...events, ...produced];
    state = produced.reduce(decider.evolve, state);
  }
  // One final check at the end, so both runs are observed at the same moment.
  const final = decider.decide({ type: 'CheckFaultDeadlines', data: {} }, state, { now: new Date(t), actor: OPS });
  return { events: [...events, ...final], state: final.reduce(decider.evolve, state), end: t };
}

/** The history without the moment each deadline happened to be noticed. */
const shape = (events: FaultEvent[]) =>
  events
    .filter((e) => e.type !== 'FaultProgressReported')
    .map((e) => {
      const { detectedAt: _d, ...rest } = e.data as Record<string, unknown>;
      return { type: e.type, ...(e.type === 'FaultResolved' ? { level: rest.level, withinLimit: rest.withinLimit } : rest) };
    });

describe('fault escalation properties (fast-check, controllable clock)', () => {
  it('the history does not depend on when the deadline checks ran', () => {
    fc.assert(
      fc.property(fc.constantFrom<FaultLevel>(1, 2, 3), fc.array(op, { maxLength: 12 }), (level, ops) => {
        expect(shape(play(level, ops, true).events)).toEqual(shape(play(level, ops, false).events));
      }),
      { numRuns: 500 },
    );
  });

  it('levels never go down, deadlines are met in order and at the right distance, nothing happens after resolution', () => {
    fc.assert(
      fc.property(fc.constantFrom<FaultLevel>(1, 2, 3), fc.array(op, { maxLength: 12 }), (level, ops) => {
        const { events, end } = play(level, ops, true);
        let current: FaultLevel = level;
        let since = T0;
        let lastDue = T0;
        let resolvedAt: number | null = null;
        for (const e of events.slice(1)) {
          if (resolvedAt !== null) expect(e.type).toBe('FaultIntegrityChecked'); // nothing but checks after resolution (none here)
          if (e.type === 'FaultEscalated') {
            expect(e.data.toLevel).toBeGreaterThan(e.data.fromLevel);
            expect(e.data.fromLevel).toBe(current);
            const due = Date.parse(e.data.dueAt);
            expect(due).toBeGreaterThanOrEqual(lastDue);
            if (e.data.automatic) {
              expect(e.data.toLevel).toBe(current + 1);
              expect(due - since).toBe(LEVEL_LIMIT_HOURS[current as 1 | 2] * H);
            }
            current = e.data.toLevel;
            since = due;
            lastDue = due;
          } else if (e.type === 'FaultOverdue') {
            expect(current).toBe(3);
            expect(Date.parse(e.data.dueAt) - since).toBe(e.data.hours * H);
            lastDue = Date.parse(e.data.dueAt);
          } else if (e.type === 'FaultResolved') {
            resolvedAt = Date.parse(e.data.resolvedAt);
            expect(lastDue).toBeLessThanOrEqual(resolvedAt);
            expect(e.data.level).toBe(current);
          }
        }
        // Unresolved at the end: no deadline is left overdue and unrecorded.
        if (resolvedAt === null) {
          const state = events.reduce(decider.evolve, decider.initialState());
          expect(dueTransitions(state, new Date(end))).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a fault cleared before its first deadline is within the limit and never escalated automatically', () => {
    fc.assert(
      fc.property(fc.constantFrom<1 | 2>(1, 2), fc.integer({ min: 0, max: 100 }), (level, percent) => {
        const minutes = Math.floor((LEVEL_LIMIT_HOURS[level] * 60 - 1) * (percent / 100));
        const { events } = play(level, [{ dtMinutes: minutes, kind: 'check' }, { dtMinutes: 0, kind: 'resolve' }, { dtMinutes: 48 * 60, kind: 'check' }], true);
        expect(events.filter((e) => e.type === 'FaultEscalated' || e.type === 'FaultOverdue')).toEqual([]);
        expect(events.find((e) => e.type === 'FaultResolved')!.data).toMatchObject({ withinLimit: true, level });
      }),
    );
  });
});
