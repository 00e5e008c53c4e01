'use strict';
/**
 * suyuan-verify: the offline verifier of Suyuan proof bundles (docs/verifiable-history.md). Plain Node,
 * no dependencies and no server code, so an auditor can read all of it: RFC 8785 canonical JSON, RFC 9162
 * proofs, the stream-head map and the commitment log, Ed25519 tree-head signatures and cosignatures.
 */
const crypto = require('node:crypto');

const sha256 = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const hex = (s) => Buffer.from(s, 'hex');

/** RFC 8785: keys sorted by UTF-16 code units, ECMAScript number and string serialisation. */
function canonicalize(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map((x) => canonicalize(x === undefined ? null : x)).join(',') + ']';
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalize(v[k])).join(',') + '}';
}

const hashLeaf = (leaf) => sha256(Buffer.from([0]), leaf);
const hashChildren = (l, r) => sha256(Buffer.from([1]), l, r);

/** RFC 9162 §2.1.3.2. */
function rootFromInclusion(index, size, leafHash, path) {
  if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size) || !Array.isArray(path)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    const c = hex(p);
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(c, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else r = hashChildren(r, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.4.2. */
function verifyConsistency(m, n, firstRootHex, secondRootHex, pathHex) {
  const firstRoot = hex(firstRootHex);
  const secondRoot = hex(secondRootHex);
  if (!(m >= 0 && m <= n)) return false;
  if (m === n) return pathHex.length === 0 && firstRoot.equals(secondRoot);
  if (m === 0) return pathHex.length === 0;
  let proof = pathHex.map(hex);
  if ((m & (m - 1)) === 0) proof = [firstRoot, ...proof];
  if (proof.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = proof[0];
  let sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else sr = hashChildren(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

function treeHeadMessage(h) {
  return ['suyuan-tree-head/1', h.treeSize, h.rootHash, h.commitmentRoot, h.streamMapRoot, h.streamCount, h.timestamp].join('\n') + '\n';
}

function verifySignature(message, signatureB64, publicKeyPem) {
  try {
    return crypto.verify(null, Buffer.from(message, 'utf8'), crypto.createPublicKey(publicKeyPem), Buffer.from(String(signatureB64), 'base64'));
  } catch {
    return false;
  }
}

function sameKey(a, b) {
  try {
    const der = (pem) => crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return der(a).equals(der(b));
  } catch {
    return false;
  }
}

function streamHeadLeaf(streamId, revision, lastHash) {
  const id = Buffer.from(streamId, 'utf8');
  const out = Buffer.alloc(id.length + 41);
  id.copy(out, 0);
  out.writeBigUInt64BE(BigInt(revision), id.length + 1);
  hex(lastHash).copy(out, id.length + 9);
  return out;
}

const compareIds = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Stream-head map format 2 (docs/verifiable-history.md): a sparse Merkle tree keyed by SHA-256(stream id),
 * a subtree with one stream being that stream's leaf; the path lists the siblings from the leaf up.
 */
const SPARSE_MAP_FORMAT = 'suyuan-stream-map/2';
function sparseMapRoot(e) {
  if (!e || typeof e.streamId !== 'string' || !Array.isArray(e.path) || e.path.length > 256) return null;
  if (!(Number.isSafeInteger(e.revision) && e.revision >= 0) || !/^[0-9a-f]{64}$/.test(String(e.lastHash))) return null;
  const key = sha256(Buffer.from(e.streamId, 'utf8'));
  const bit = (d) => (key[d >> 3] >> (7 - (d & 7))) & 1;
  let h = hashLeaf(streamHeadLeaf(e.streamId, e.revision, e.lastHash));
  for (let j = 0; j < e.path.length; j++) {
    if (!/^[0-9a-f]{64}$/.test(String(e.path[j]))) return null;
    const sibling = hex(e.path[j]);
    h = bit(e.path.length - 1 - j) ? hashChildren(sibling, h) : hashChildren(h, sibling);
  }
  return h;
}

function checkStreamHeadProof(p, mapRoot, mapSize, mapFormat) {
  if (!p || !p.entry || (p.format || null) !== (mapFormat || null)) return 'the stream-head proof is not for the signed map';
  if (mapFormat === SPARSE_MAP_FORMAT) {
    const r = sparseMapRoot(p.entry);
    return r !== null && r.equals(mapRoot) ? null : `map entry ${p.entry.streamId} is not in the signed stream-head map`;
  }
  if (mapFormat !== undefined || p.mapSize !== mapSize) return 'the stream-head proof is not for the signed map';
  const ok = (e) => {
    const r = rootFromInclusion(e.index, p.mapSize, hashLeaf(streamHeadLeaf(e.streamId, e.revision, e.lastHash)), e.path);
    return r !== null && r.equals(mapRoot);
  };
  for (const e of [p.entry, p.left, p.right]) if (e && !ok(e)) return `map entry ${e.streamId} is not in the signed stream-head map`;
  const i = p.entry.index;
  if (p.left ? p.left.index !== i - 1 : i !== 0) return 'the left neighbour of the map entry is missing';
  if (p.right ? p.right.index !== i + 1 : i !== p.mapSize - 1) return 'the right neighbour of the map entry is missing';
  if ((p.left && compareIds(p.left.streamId, p.entry.streamId) >= 0) || (p.right && compareIds(p.entry.streamId, p.right.streamId) >= 0)) return 'map entries out of order';
  return null;
}

const CLEAR_FIELDS = ['eventId', 'type', 'schemaVersion', 'streamId', 'revision', 'occurredAt', 'recordedAt', 'prevHash'];

function eventHash(e) {
  const { hash: _h, position: _p, ...hashed } = e;
  return sha256(Buffer.from(canonicalize(hashed), 'utf8')).toString('hex');
}

function commitmentDigest(r) {
  const fields = {};
  for (const [name, f] of Object.entries(r.fields || {})) {
    if (f && typeof f.commitment === 'string') fields[name] = f.commitment;
    else if (f && typeof f.salt === 'string') fields[name] = sha256(hex(f.salt), Buffer.from(canonicalize(f.value), 'utf8')).toString('hex');
    else return null;
  }
  const doc = { format: 'suyuan-commitments/1', fields };
  for (const k of CLEAR_FIELDS) doc[k] = r[k];
  return sha256(Buffer.from(canonicalize(doc), 'utf8'));
}

/** A field of an event as the bundle shows it (full or redacted), or undefined when masked. */
function dataOf(be) {
  if (be.event) return be.event.data || {};
  const out = {};
  for (const [name, f] of Object.entries((be.redacted && be.redacted.fields) || {})) if (name.startsWith('data.') && f && 'value' in f) out[name.slice(5)] = f.value;
  return out;
}

/**
 * Verifies a bundle. options.witnesses: PEM public keys that must each have cosigned the tree head;
 * options.publicKeyPem: the ledger key to trust (default: the one in the bundle, which the answer says);
 * options.minTreeSize: a tree size the verifier knows the log reached (refuses an older head as a rollback).
 * Returns { ok, message } or { ok: false, problem: { code, detail, streamId?, eventId? } }.
 */
function verifyBundle(bundle, options = {}) {
  const fail = (code, detail, at = {}) => ({ ok: false, problem: { code, detail, ...at }, message: `PROBLEM ${code}: ${detail}` });
  if (!bundle || bundle.format !== 'suyuan-proof-bundle/1' || !bundle.treeHead || !Array.isArray(bundle.streams)) return fail('malformed', 'not a Suyuan proof bundle');
  const head = bundle.treeHead;
  const key = options.publicKeyPem || bundle.publicKeyPem;
  if (options.publicKeyPem && !sameKey(options.publicKeyPem, bundle.publicKeyPem)) return fail('wrong-key', 'the bundle names another ledger key than the one given');
  if (!verifySignature(treeHeadMessage(head), head.signature, key)) return fail('bad-tree-head-signature', `tree head ${head.treeSize} is not signed by the ledger key`);
  // A head older than one the verifier already knows of (a witness's latest cosigned head, an earlier
  // bundle) is a rollback: it may be validly signed and complete, but it hides what came after.
  if (options.minTreeSize !== undefined && !(head.treeSize >= options.minTreeSize))
    return fail('rollback', `tree head ${head.treeSize} (${head.timestamp}) is older than tree size ${options.minTreeSize}, which the log had already reached`);
  for (const w of options.witnesses || []) {
    const cs = (bundle.cosignatures || []).filter((c) => c.treeSize === head.treeSize && sameKey(c.witnessPublicKeyPem, w));
    if (cs.length === 0) return fail('missing-cosignature', `a required witness did not cosign tree head ${head.treeSize}`);
    if (!cs.some((c) => verifySignature(treeHeadMessage(head), c.signature, w))) return fail('bad-cosignature', `a witness cosignature of tree head ${head.treeSize} does not verify`);
  }
  const rootHash = hex(head.rootHash);
  const commitmentRoot = hex(head.commitmentRoot);
  const mapRoot = hex(head.streamMapRoot);
  const streams = new Map();
  for (const s of bundle.streams) {
    if (streams.has(s.streamId)) return fail('malformed', `stream ${s.streamId} appears twice`, { streamId: s.streamId });
    streams.set(s.streamId, s);
    const at = { streamId: s.streamId };
    const bad = checkStreamHeadProof(s.headProof, mapRoot, head.streamCount, head.streamMapFormat);
    if (bad) return fail('bad-stream-head-proof', `${s.streamId}: ${bad}`, at);
    if (s.headProof.entry.streamId !== s.streamId) return fail('bad-stream-head-proof', `${s.streamId}: the head proof is for ${s.headProof.entry.streamId}`, at);
    const revision = s.headProof.entry.revision;
    if (!Array.isArray(s.events) || s.events.length !== revision + 1) {
      const seen = new Set((s.events || []).map((be) => (be.event || be.redacted || {}).revision));
      let missing = 0;
      while (seen.has(missing)) missing++;
      return fail('missing-event', `${s.streamId}: the signed stream head is revision ${revision}, the bundle has ${(s.events || []).length} event(s); revision ${missing} is missing`, at);
    }
    let prev = '0'.repeat(64);
    let lastIndex = -1;
    for (const [i, be] of s.events.entries()) {
      const e = be.event || be.redacted;
      if (!e) return fail('malformed', `${s.streamId}: event ${i} has neither a full nor a redacted view`, at);
      const where = { streamId: s.streamId, eventId: e.eventId };
      if (e.streamId !== s.streamId || e.revision !== i) return fail('out-of-order', `${s.streamId}: revision ${e.revision} of ${e.streamId} found where revision ${i} should be`, where);
      if (e.prevHash !== prev) return fail('broken-chain', `${s.streamId} revision ${i}: does not link to the previous event of its stream`, where);
      if (!(be.leafIndex > lastIndex)) return fail('out-of-order', `${s.streamId} revision ${i}: leaf ${be.leafIndex} is not after leaf ${lastIndex}`, where);
      lastIndex = be.leafIndex;
      if (be.event) {
        if (eventHash(be.event) !== e.hash) return fail('hash-mismatch', `${s.streamId} revision ${i}: the event's data or metadata do not match its hash`, where);
        const r = rootFromInclusion(be.leafIndex, head.treeSize, hashLeaf(hex(e.hash)), be.path);
        if (!r || !r.equals(rootHash)) return fail('bad-inclusion', `${s.streamId} revision ${i}: not in the log at leaf ${be.leafIndex} of tree head ${head.treeSize}`, where);
      } else {
        const digest = commitmentDigest(be.redacted);
        if (!digest) return fail('malformed', `${s.streamId} revision ${i}: a redacted field has neither a value with its salt nor a commitment`, where);
        const r = rootFromInclusion(be.leafIndex, head.treeSize, hashLeaf(Buffer.concat([hex(e.hash), digest])), be.path);
        if (!r || !r.equals(commitmentRoot)) return fail('bad-commitment-inclusion', `${s.streamId} revision ${i}: the redacted event (public fields or commitments) is not in the commitment log of tree head ${head.treeSize}`, where);
      }
      prev = e.hash;
    }
    if (prev !== s.headProof.entry.lastHash) return fail('stream-head-mismatch', `${s.streamId}: the last event is not the one the signed stream head names`, at);
  }
  // The chain is closed: the lot asked for, every lot's source transfer and parent lot, and (forward) every receiving lot.
  const need = (streamId, why) => (streams.has(streamId) ? null : fail('lot-missing', `${streamId} is missing from the bundle (${why})`, { streamId }));
  const first = need(`lot-${bundle.traceCode}`, 'the lot asked for');
  if (first) return first;
  for (const s of bundle.streams) {
    for (const be of s.events) {
      const e = be.event || be.redacted;
      const d = dataOf(be);
      if (s.streamId.startsWith('lot-') && e.type === 'LotCreated' && d.origin && d.origin.kind === 'transfer') {
        const r = need(`transfer-${d.origin.transferId}`, `source of ${s.streamId}`) || need(`lot-${d.origin.parentTraceCode}`, `parent of ${s.streamId}`);
        if (r) return r;
      }
      if (bundle.forward && s.streamId.startsWith('transfer-') && e.type === 'TransferConfirmed' && d.childTraceCode && streams.has(`lot-${d.fromTraceCode}`)) {
        const r = need(`lot-${d.childTraceCode}`, `received through ${s.streamId}`);
        if (r) return r;
      }
      if (bundle.forward && s.streamId.startsWith('lot-') && typeof d.transferId === 'string') {
        const r = need(`transfer-${d.transferId}`, `named by ${s.streamId} revision ${e.revision}`);
        if (r) return r;
      }
    }
  }
  const events = bundle.streams.reduce((n, s) => n + s.events.length, 0);
  const redacted = bundle.streams.filter((s) => s.view === 'redacted').length;
  const witnessed = (options.witnesses || []).length;
  return {
    ok: true,
    message:
      `complete and unaltered as of tree head ${head.treeSize} (${head.timestamp}): ${bundle.streams.length} streams, ${events} events` +
      (redacted ? `, ${redacted} stream(s) redacted` : '') +
      (witnessed ? `, cosigned by ${witnessed} required witness(es)` : '') +
      (options.publicKeyPem ? '' : ' — ledger key taken from the bundle (pin it with --key)'),
  };
}

module.exports = { canonicalize, hashLeaf, hashChildren, rootFromInclusion, verifyConsistency, treeHeadMessage, streamHeadLeaf, sparseMapRoot, eventHash, commitmentDigest, verifyBundle };
