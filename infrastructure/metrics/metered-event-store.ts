import type { EventStore } from '../../application/ports/event-store';
import type { PlatformMetrics } from './platform-metrics';

/**
 * The event store with its appends timed and sized (suyuan_append_*). A Proxy, so every other method of the
 * port — and methods the port gains later — pass through untouched; only append/appendMany are wrapped.
 */
export function meteredEventStore(store: EventStore, metrics: PlatformMetrics): EventStore {
  const timed = <T>(call: 'append' | 'appendMany', events: number, work: () => Promise<T>): Promise<T> => {
    const stop = metrics.appendCommitSeconds.startTimer({ call });
    metrics.appendEvents.observe({ call }, events);
    return work().then(
      (r) => {
        stop({ outcome: 'ok' });
        return r;
      },
      (err: unknown) => {
        stop({ outcome: 'error' });
        throw err;
      },
    );
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'append')
        return (appends: Parameters<EventStore['append']>[0], ...rest: [string, string?]) =>
          timed('append', appends.reduce((n, a) => n + a.events.length, 0), () => target.append(appends, ...rest));
      if (prop === 'appendMany' && target.appendMany)
        return (commands: Parameters<NonNullable<EventStore['appendMany']>>[0]) =>
          timed('appendMany', commands.reduce((n, c) => n + c.appends.reduce((m, a) => m + a.events.length, 0), 0), () => target.appendMany!(commands));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
