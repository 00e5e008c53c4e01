import { hash as sha256Once } from 'node:crypto';
import type { RecordedEvent } from '../ports/event-store';
import { canonicalEventJson } from '../ledger/event-hash';
import { CHECKPOINT_STREAM, type Checkpoint } from './checkpoints';
import type { LedgerExport } from './export-verifier';

/**
 * Ledger export, format 2 ("Export v2", decision 0018 §Sixth pass; docs/verifiable-history.md §Ledger exports):
 * each event travels as the exact text its hash covers (its RFC 8785 canonical JSON, without `hash` and
 * `position`), beside its position and hash. A verifier hashes that text as it is instead of rebuilding it
 * from a parsed object: canonicalisation was ~40 % of whole-ledger verification (the profile of the sixth
 * pass), JSON.parse of the same text costs about half of it. Nothing else changes: the same events, hashes,
 * checkpoints, tree heads and seed as format 1, so an export of either format verifies to the same verdict.
 */
export const EXPORT_FORMAT_V2 = 'suyuan-ledger-export/2';

export interface ExportRecord {
  position: number;
  hash: string;
  /** The event's canonical JSON (RFC 8785) without `hash` and `position`: SHA-256 of its UTF-8 bytes is `hash`. */
  canonical: string;
}

export interface LedgerExportV2 {
  format: typeof EXPORT_FORMAT_V2;
  exportedAt: string;
  publicKeyPem: string;
  keyId: string;
  /** The whole log in position order (checkpoint events included). */
  events: ExportRecord[];
  checkpoints: Checkpoint[];
  commitmentSeed?: string;
}

/** An event as format 2 carries it: its canonical text is written once here, by the exporter, not by every verifier. */
export function exportRecord(e: RecordedEvent): ExportRecord {
  return { position: e.position, hash: e.hash, canonical: canonicalEventJson(e) };
}

/** A format-1 export's content in format 2 (same events, checkpoints, key and seed). */
export function toExportV2(exp: Omit<LedgerExport, 'format'>): LedgerExportV2 {
  return {
    format: EXPORT_FORMAT_V2,
    exportedAt: exp.exportedAt,
    publicKeyPem: exp.publicKeyPem,
    keyId: exp.keyId,
    events: exp.events.map(exportRecord),
    checkpoints: exp.checkpoints,
    ...(exp.commitmentSeed !== undefined ? { commitmentSeed: exp.commitmentSeed } : {}),
  };
}

/**
 * One record read back: the event its text parses to (with the record's position and hash), and the SHA-256 of
 * that text — the hash the verifier compares, in place of re-canonicalising the parsed event. `event` is null
 * when the record is not a record or its text is not a JSON object without `hash`/`position` (then `computed`
 * still says whether the text is the hashed one, so a damaged text is named as a hash mismatch).
 *
 * Why hashing the text suffices: the signed tree binds `hash`, SHA-256 binds the text, so a text that matches
 * is the text the ledger hashed at write time — canonical by construction — and the event is what it parses to.
 *
 * `whole: false` parses only the envelope's members from `eventId` on (readTail): all a chain check needs. The
 * caller must then read the record whole where no signature binds it (verifyExport: the events after the last
 * tree head or checkpoint), since a tail says nothing about the rest of a text nothing has authenticated.
 */
export function readExportRecord(
  r: unknown,
  whole = true,
): { event: RecordedEvent | null; computed: string | null; partial: boolean } {
  if (r === null || typeof r !== 'object') return { event: null, computed: null, partial: false };
  const { position, hash, canonical } = r as Partial<ExportRecord>;
  if (typeof canonical !== 'string') return { event: null, computed: null, partial: false };
  const computed = sha256Once('sha256', canonical, 'hex');
  if (typeof position !== 'number' || typeof hash !== 'string')
    return { event: null, computed, partial: false };
  let parsed = whole ? null : readTail(canonical);
  const partial = parsed !== null;
  if (!parsed) {
    try {
      parsed = JSON.parse(canonical) as Record<string, unknown>;
    } catch {
      return { event: null, computed, partial: false };
    }
    // The hashed text never holds `hash` or `position`: one that does is not an event's text (no ambiguity about which wins).
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed) ||
      'hash' in parsed ||
      'position' in parsed
    )
      return { event: null, computed, partial: false };
  }
  const event = parsed as unknown as RecordedEvent;
  event.hash = hash;
  event.position = position;
  return { event, computed, partial };
}

/**
 * The top-level members from `eventId` to the end — eventId, occurredAt, prevHash, recordedAt, revision,
 * schemaVersion, streamId, type: scalars that RFC 8785's key order puts after `data` — parsed alone (a third of
 * the text, no `data`/`actor` objects built). Exact for an event's canonical text: a JSON string cannot hold the
 * raw `,"eventId":"`, so its last occurrence is a member's start; one inside a nested object would leave that
 * object's closing braces unmatched, and JSON.parse refuses the tail. Null (parse it whole) for the ledger's
 * own stream (tree heads and checkpoints need their `data`), or whatever else does not read as such a tail.
 */
function readTail(canonical: string): Record<string, unknown> | null {
  const at = canonical.lastIndexOf(',"eventId":"');
  if (at < 0) return null;
  let tail: unknown;
  try {
    tail = JSON.parse('{' + canonical.slice(at + 1));
  } catch {
    return null;
  }
  if (tail === null || typeof tail !== 'object' || Array.isArray(tail)) return null;
  const t = tail as Record<string, unknown>;
  if (typeof t.streamId !== 'string' || t.streamId === CHECKPOINT_STREAM || 'hash' in t || 'position' in t)
    return null;
  return t;
}

/** The events of a format-2 export as format 1 carries them (for a restore or any reader), or the index of the first record that is not one. */
export function exportRecordEvents(records: readonly unknown[]): {
  events: RecordedEvent[];
  badIndex: number | null;
} {
  const events: RecordedEvent[] = [];
  for (let i = 0; i < records.length; i++) {
    const { event } = readExportRecord(records[i]);
    if (!event) return { events, badIndex: i };
    events.push(event);
  }
  return { events, badIndex: null };
}
