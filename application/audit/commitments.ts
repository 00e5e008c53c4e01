import { hash as sha256Once } from 'node:crypto';
import { canonicalJson } from '../ledger/canonical-json';
import type { RecordedEvent } from '../ports/event-store';
import { sha256 } from './sha256';

/**
 * Salted field commitments (decision 0018, docs/verifiable-history.md §Commitment log). The event hash
 * covers the unmasked event, so a redacted view cannot be checked against it; instead the sealer computes,
 * for each event of a traceable stream, a digest over the event's public envelope and one salted commitment
 * per private field, and appends `eventHash ‖ digest` to a second log whose root the tree head signs. A
 * redacted bundle reveals the salts of the fields it shows and only the commitments of the masked ones.
 */
export const COMMITMENT_FORMAT = 'suyuan-commitments/1';
/** Streams a proof bundle can show (lots and transfers); other events get the all-zero digest. */
export const COMMITTED_STREAM_PREFIXES = ['lot-', 'transfer-'];
export const NO_COMMITMENT = Buffer.alloc(32);
/** Envelope fields shown in every view; everything else (actor, command ids, each data field) is committed. */
export const CLEAR_FIELDS = ['eventId', 'type', 'schemaVersion', 'streamId', 'revision', 'occurredAt', 'recordedAt', 'prevHash'] as const;
export const COMMITTED_ENVELOPE_FIELDS = ['actor', 'commandId', 'correlationId', 'causationId'] as const;

export const isCommitted = (streamId: string) => COMMITTED_STREAM_PREFIXES.some((p) => streamId.startsWith(p));

/** Committed field names of an event: the envelope ones, then `data.<key>` for each top-level data key. */
export function committedFields(e: RecordedEvent): [name: string, value: unknown][] {
  const out: [string, unknown][] = COMMITTED_ENVELOPE_FIELDS.map((f) => [f, e[f] ?? null]);
  for (const [k, v] of Object.entries(e.data ?? {})) out.push([`data.${k}`, v]);
  return out;
}

/*
 * Hashing here is one-shot (`crypto.hash`) over concatenated bytes, and canonical JSON is the ledger's fast
 * RFC 8785 writer (byte-identical to json-canonicalize): the commitment log was three quarters of whole-ledger
 * verification and most of sealing in issue 18's profile (~12 fields per lot event, two hashes each).
 */
const ZERO = Buffer.from([0]);

/** salt = SHA-256(seed ‖ UTF-8 eventId ‖ 0x00 ‖ UTF-8 field name): reproducible by the ledger, unguessable without its seed. */
export function fieldSalt(seed: Buffer, eventId: string, field: string): Buffer {
  return saltWith(saltPrefix(seed, eventId), field);
}

/** The salts of one event's fields (the seed ‖ eventId ‖ 0x00 prefix built once). */
export function eventSalts(seed: Buffer, eventId: string): (field: string) => Buffer {
  const prefix = saltPrefix(seed, eventId);
  return (field) => saltWith(prefix, field);
}

/** seed ‖ UTF-8 eventId ‖ 0x00: the part of every salt of one event that does not depend on the field. */
function saltPrefix(seed: Buffer, eventId: string): Buffer {
  return Buffer.concat([seed, Buffer.from(eventId, 'utf8'), ZERO]);
}

/*
 * The bytes of each hash are written into one scratch buffer instead of a Buffer.concat of fresh Buffers per
 * salt and per commitment (garbage collection was a sixth of verification). Single-threaded: never shared by
 * two calls in flight. Grown when an input does not fit (a value's JSON can be long).
 */
let scratch = Buffer.alloc(4096);
function scratchFor(bytes: number): Buffer {
  if (bytes > scratch.length) scratch = Buffer.alloc(Math.max(bytes, scratch.length * 2));
  return scratch;
}

function saltWith(prefix: Buffer, field: string): Buffer {
  const buf = scratchFor(prefix.length + field.length * 3);
  prefix.copy(buf, 0);
  const n = prefix.length + buf.write(field, prefix.length, 'utf8');
  return sha256(buf.subarray(0, n));
}

/** commitment = SHA-256(salt ‖ UTF-8 canonical JSON of the value). */
export function fieldCommitment(salt: Buffer, value: unknown): string {
  const json = canonicalJson(value);
  const buf = scratchFor(salt.length + json.length * 3);
  salt.copy(buf, 0);
  const n = salt.length + buf.write(json, salt.length, 'utf8');
  return sha256Once('sha256', buf.subarray(0, n), 'hex');
}

export function commitmentDigestOf(clear: Record<(typeof CLEAR_FIELDS)[number], unknown>, fields: Record<string, string>): Buffer {
  const doc: Record<string, unknown> = { format: COMMITMENT_FORMAT, fields };
  for (const f of CLEAR_FIELDS) doc[f] = clear[f];
  return sha256(canonicalJson(doc));
}

/** The digest the sealer puts beside the event hash (all zero for streams no bundle shows). */
export function eventCommitmentDigest(seed: Buffer, e: RecordedEvent): Buffer {
  if (!isCommitted(e.streamId)) return NO_COMMITMENT;
  const prefix = saltPrefix(seed, e.eventId);
  const fields: Record<string, string> = {};
  for (const [name, value] of committedFields(e)) fields[name] = fieldCommitment(saltWith(prefix, name), value);
  return commitmentDigestOf(e, fields);
}

/** Leaf of the commitment log: the 32 bytes of the event hash ‖ the 32-byte digest. */
export function commitmentLeaf(eventHashHex: string, digest: Buffer): Buffer {
  return Buffer.concat([Buffer.from(eventHashHex, 'hex'), digest]);
}
