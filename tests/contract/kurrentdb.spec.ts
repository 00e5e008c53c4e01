import type { RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { ConcurrencyError } from '../../application/ports/event-store';
import { planAppend, streamsNeedingLookup, conflictError } from '../../infrastructure/kurrentdb/append-plan';
import { fromKurrentEvent, toEventData } from '../../infrastructure/kurrentdb/envelope-codec';
import { KurrentDbEventStore } from '../../infrastructure/kurrentdb/kurrentdb-event-store';
import { COMMAND_MARKER_TYPE, matchesFilter, serverFilter } from '../../infrastructure/kurrentdb/log-filter';
import { eventStoreContract } from './suites/event-store.contract';
import { envelopes, newCommandId, part } from './suites/event-fixtures';
import { serverUnderTest } from './support/server-under-test';

/**
 * KurrentDB cannot run on the CI machine (no Docker, no package): its contract suite runs wherever
 * KURRENTDB_URL points at a server — e.g. `docker compose up kurrentdb` and
 * KURRENTDB_URL='kurrentdb://127.0.0.1:2113?tls=false'. What does not need a server (how appends are
 * planned, how envelopes are encoded, how filters are split between server and client) always runs.
 */
const server = serverUnderTest(
  'KurrentDB',
  'KURRENTDB_URL',
  'e.g. docker compose up -d kurrentdb, then KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false',
);

server.describeWithServer((url) => {
  eventStoreContract('KurrentDB', () => KurrentDbEventStore.connect(url));
});

describe('KurrentDB adapter without a server', () => {
  describe('append plan', () => {
    const none = new Map<string, number | 'no_stream'>();

    it('sends every part with the exact expected state its envelopes imply', () => {
      const c = newCommandId();
      const plan = planAppend(
        [
          part('lot-1', 4, c, ['A', 'B']),
          part('transfer-1', 'no_stream', c, ['T']),
          part('lot-2', 'any', c, ['X'], 7),
          part('lot-3', 'any', c, ['Y'], 0),
          part('lot-4', 'stream_exists', c, ['Z'], 2),
        ],
        c,
        none,
      );
      expect(plan.map((p) => [p.streamId, p.expectedState, p.fromRevision, p.events.length])).toEqual([
        ['lot-1', 4n, 5, 2],
        ['transfer-1', 'no_stream', 0, 1],
        ['lot-2', 6n, 7, 1],
        ['lot-3', 'no_stream', 0, 1],
        ['lot-4', 1n, 2, 1],
      ]);
    });

    it('rejects envelopes whose revisions, stream or command do not fit, before anything is sent', () => {
      const c = newCommandId();
      expect(() => planAppend([part('s', 'no_stream', c, ['A'], 1)], c, none)).toThrow(
        /revision 1, the stream's next is 0/,
      );
      expect(() => planAppend([part('s', 3, c, ['A'], 3)], c, none)).toThrow(/the stream's next is 4/);
      expect(() => planAppend([part('s', 'no_stream', c, ['A'])], newCommandId(), none)).toThrow(
        /carries commandId/,
      );
      const wrongStream = part('s', 'no_stream', c, ['A']);
      wrongStream.streamId = 'other';
      expect(() => planAppend([wrongStream], c, none)).toThrow(/names stream s/);
    });

    it("looks up 'stream_exists' at revision 0 and pure revision checks, and turns misses into ConcurrencyError", () => {
      const c = newCommandId();
      const check = { streamId: 'org-1', expectedRevision: 3 as const, events: [] };
      const appends = [part('s', 'stream_exists', c, ['A'], 0), check];
      expect(streamsNeedingLookup(appends).sort()).toEqual(['org-1', 's']);
      expect(() =>
        planAppend(
          appends,
          c,
          new Map<string, number | 'no_stream'>([
            ['s', 'no_stream'],
            ['org-1', 3],
          ]),
        ),
      ).toThrow(ConcurrencyError);
      expect(() => planAppend([check], c, new Map([['org-1', 2]]))).toThrow(ConcurrencyError);
      expect(planAppend([check], c, new Map([['org-1', 3]]))).toEqual([]);
    });

    it('merges a stream named twice, continuing its revisions', () => {
      const c = newCommandId();
      const plan = planAppend(
        [part('lot-1', 0, c, ['A']), part('lot-2', 'no_stream', c, ['B']), part('lot-1', 1, c, ['C'])],
        c,
        none,
      );
      expect(plan.map((p) => [p.streamId, p.events.map((e) => e.type)])).toEqual([
        ['lot-1', ['A', 'C']],
        ['lot-2', ['B']],
      ]);
      expect(() => planAppend([part('lot-1', 0, c, ['A']), part('lot-1', 0, c, ['C'], 2)], c, none)).toThrow(
        ConcurrencyError,
      );
    });

    it('maps a server conflict to ConcurrencyError only where the port calls it one', () => {
      const c = newCommandId();
      const [numeric, created, exists, any] = planAppend(
        [
          part('a', 2, c, ['A']),
          part('b', 'no_stream', c, ['B']),
          part('c', 'stream_exists', c, ['C'], 5),
          part('d', 'any', c, ['D'], 5),
        ],
        c,
        none,
      );
      expect(conflictError(numeric!, 3)).toMatchObject({
        name: 'ConcurrencyError',
        streamId: 'a',
        expected: 2,
        actual: 3,
      });
      expect(conflictError(created!, 0)).toMatchObject({
        name: 'ConcurrencyError',
        expected: 'no_stream',
        actual: 0,
      });
      expect(conflictError(exists!, 'no_stream')).toBeInstanceOf(ConcurrencyError);
      expect(conflictError(exists!, 9)).not.toBeInstanceOf(ConcurrencyError);
      expect(conflictError(any!, 9).message).toMatch(/stale state/);
    });
  });

  describe('envelope codec', () => {
    it('round-trips every envelope field through event data and string-valued metadata', () => {
      const c = newCommandId();
      const [envelope] = envelopes('lot-1', 3, c, [
        { type: 'LotCreated', data: { product: '豇豆', quantity: { amount: 12.5, unit: 'kg' } } },
      ]);
      envelope!.causationId = 'cause-1';
      const data = toEventData(envelope!);
      expect(Object.values(data.metadata as object).every((v) => typeof v === 'string')).toBe(true);
      expect(data.metadata).toMatchObject({ $correlationId: c, $causationId: 'cause-1' });

      const recorded = {
        id: data.id,
        type: data.type,
        streamId: 'lot-1',
        revision: 3n,
        isJson: true,
        created: new Date(),
        data: JSON.parse(JSON.stringify(data.data)),
        // As a multi-stream append stores it: the properties, plus the server's own schema keys.
        metadata: { ...(data.metadata as object), '$schema.format': 'Json', '$schema.name': data.type },
        position: { commit: 123_456n, prepare: 123_456n },
      } as unknown as KurrentRecordedEvent;
      expect(fromKurrentEvent(recorded)).toEqual({ ...envelope, position: 123_456 });

      const withoutCause = toEventData({ ...envelope!, causationId: null });
      expect(withoutCause.metadata).not.toHaveProperty('causationId');
      expect(
        fromKurrentEvent({ ...recorded, metadata: withoutCause.metadata } as KurrentRecordedEvent)
          .causationId,
      ).toBeNull();
    });
  });

  describe('log filter', () => {
    it('filters on the server by event type when given, else by stream prefix, else hides system events and markers', () => {
      expect(serverFilter({ eventTypes: ['LotCreated', 'A.b'], streamPrefixes: ['lot-'] })).toMatchObject({
        filterOn: 'eventType',
        regex: '^(?:LotCreated|A\\.b)$',
      });
      expect(serverFilter({ streamPrefixes: ['lot-', 'transfer-'] })).toMatchObject({
        filterOn: 'streamName',
        prefixes: ['lot-', 'transfer-'],
      });
      const everything = serverFilter(undefined) as { regex: string };
      const regex = new RegExp(everything.regex);
      expect(['LotCreated', 'TransferConfirmed'].every((t) => regex.test(t))).toBe(true);
      expect(['$metadata', '$>', COMMAND_MARKER_TYPE].some((t) => regex.test(t))).toBe(false);
    });

    it('applies the whole filter on the client, and never lets markers or system events through', () => {
      const filter = { eventTypes: ['LotCreated'], streamPrefixes: ['lot-'] };
      expect(matchesFilter({ type: 'LotCreated', streamId: 'lot-1' }, filter)).toBe(true);
      expect(matchesFilter({ type: 'LotCreated', streamId: 'transfer-1' }, filter)).toBe(false);
      expect(matchesFilter({ type: 'QuantityReserved', streamId: 'lot-1' }, filter)).toBe(false);
      expect(
        matchesFilter({ type: COMMAND_MARKER_TYPE, streamId: 'cmd-123' }, { streamPrefixes: ['cmd-'] }),
      ).toBe(false);
      expect(matchesFilter({ type: '$metadata', streamId: '$$lot-1' }, undefined)).toBe(false);
      expect(matchesFilter({ type: 'LotCreated', streamId: 'cmd-look-alike' }, undefined)).toBe(true);
    });
  });
});
