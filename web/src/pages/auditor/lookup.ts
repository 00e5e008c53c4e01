import { get } from '../../api/client';
import type { Entity, Page as Paged, SearchResult, StreamHistory } from '../../api/types';
import { normaliseTraceCode } from '../../ui/format';

/** A stream the auditor may open, with what it is. */
export interface Candidate {
  streamId: string;
  kind: 'lot' | 'entity' | 'account' | 'stream';
  title: string;
  detail?: string;
}

const STREAM_ID = /^[a-z]+-[A-Za-z0-9._-]+$/;
const TRACE_CODE = /^[0-9A-Z]{25}$/;
/** 主体码 (e-ID) as printed: 18 characters (region, type, sequence, check) — hyphens and spaces allowed. */
const EID = /^[0-9A-Z]{16,20}$/;

/**
 * What the auditor typed → the streams it can mean: a stream id as is; a trace code → its lot; an e-ID → its
 * entity (GET /entities?eid=); an account's username → its account stream (the username's uniqueness claim
 * names the owner, readable with audit.read); anything else → entities and lots found by GET /search.
 */
export async function resolveStreams(input: string): Promise<Candidate[]> {
  const raw = input.trim();
  if (!raw) return [];
  if (STREAM_ID.test(raw) && !TRACE_CODE.test(normaliseTraceCode(raw))) {
    const account = await accountByUsername(raw);
    // A username that looks like a stream id (demo-ledong) is the account; anything else is taken as typed.
    return [account ?? { streamId: raw, kind: 'stream', title: raw }];
  }
  const code = normaliseTraceCode(raw);
  if (TRACE_CODE.test(code)) return [{ streamId: `lot-${code}`, kind: 'lot', title: code }];
  const found: Candidate[] = [];
  if (EID.test(code)) {
    const r = await get<Paged<Entity>>('/api/v1/entities', { eid: code }).catch(() => null);
    for (const e of r?.items ?? []) found.push({ streamId: `entity-${e.entityId}`, kind: 'entity', title: e.name, detail: e.eid ?? undefined });
  }
  const account = await accountByUsername(raw);
  if (account) found.push(account);
  const hits = await get<SearchResult>('/api/v1/search', { q: raw, kind: 'entity,lot', size: 10 }).catch(() => null);
  for (const hit of hits?.hits ?? []) {
    const [kind, id] = hit.id.split(/:(.*)/s, 2) as [string, string];
    if ((kind !== 'entity' && kind !== 'lot') || !id) continue;
    const streamId = `${kind}-${id}`;
    if (found.some((c) => c.streamId === streamId)) continue;
    found.push({ streamId, kind, title: hit.title, detail: kind === 'lot' ? id : ((hit.payload.eid as string | undefined) ?? undefined) });
  }
  return found;
}

async function accountByUsername(username: string): Promise<Candidate | null> {
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) return null;
  try {
    const claim = await get<StreamHistory>(`/api/v1/audit/streams/${encodeURIComponent(`username-${username.toLowerCase()}`)}`);
    const data = claim.events[0]?.data as { ownerStreamId?: string } | undefined;
    return data?.ownerStreamId ? { streamId: data.ownerStreamId, kind: 'account', title: username } : null;
  } catch {
    return null;
  }
}
