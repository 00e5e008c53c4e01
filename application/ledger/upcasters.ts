import type { RecordedEvent } from '../ports/event-store';

/**
 * Old event versions are upcast on read, never rewritten (DESIGN.md). An upcaster turns version n of a
 * type into version n+1; they chain. The stored event (and its hash) stays as it was; only the in-memory
 * copy handed to evolve/projections is upgraded, so verification still runs on the original bytes.
 */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

const registry = new Map<string, Upcaster>(); // key: `${type}@${fromVersion}`

export function registerUpcaster(type: string, fromVersion: number, up: Upcaster): void {
  registry.set(`${type}@${fromVersion}`, up);
}

export function upcast(event: RecordedEvent): RecordedEvent {
  let { data, schemaVersion } = event;
  for (let up = registry.get(`${event.type}@${schemaVersion}`); up; up = registry.get(`${event.type}@${schemaVersion}`)) {
    data = up(data);
    schemaVersion++;
  }
  return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
}
