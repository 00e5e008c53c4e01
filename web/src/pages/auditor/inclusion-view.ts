import { get } from '../../api/client';
import type { RecordedEvent } from '../../api/types';
import { t } from '../../i18n/i18n';
import { alert, errorView } from '../../ui/components';
import { h } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { verifyInclusion, type InclusionProof, type TreeHeadForCheck } from './inclusion-verifier';

interface TreeHeadsAnswer {
  publicKeyPem: string;
  treeHeads: (TreeHeadForCheck & { lastPosition: number })[];
}

/**
 * The inclusion check of a stream in the page: its newest event that the newest signed tree head covers,
 * that event's RFC 9162 proof from the server, and the root recomputed here (inclusion-verifier.ts) — the
 * server's own `verified` flag is not what the page shows.
 */
export async function inclusionCheckView(events: RecordedEvent[]): Promise<HTMLElement> {
  const title = (s: string) => `${t('audit.inclusion')}: ${s}`;
  try {
    const { publicKeyPem, treeHeads } = await get<TreeHeadsAnswer>('/api/v1/audit/tree-heads');
    const head = treeHeads[treeHeads.length - 1];
    if (!head) return alert('warn', title(t('audit.inclusionNoHead')));
    // Events recorded after the newest head are not in its tree yet; the newest one before it stands for the stream
    // (the hash chain links every earlier event of the stream to it).
    const event = [...events].reverse().find((e) => e.position <= head.lastPosition);
    if (!event) return alert('warn', title(t('audit.inclusionNotYet', { size: number(head.treeSize) })));
    const proof = await get<InclusionProof>(`/api/v1/audit/proofs/${encodeURIComponent(event.eventId)}`, { treeSize: head.treeSize });
    const r = await verifyInclusion(event.hash, proof, head, publicKeyPem);
    const facts = h(
      'dl',
      { class: 'facts', 'data-testid': 'inclusion-facts' },
      h('dt', null, t('audit.inclusionEvent')),
      h('dd', null, `#${event.revision} · ${t('audit.inclusionLeaf', { leaf: number(proof.leafIndex) })}`),
      h('dt', null, t('audit.inclusionTreeSize')),
      h('dd', { 'data-testid': 'inclusion-tree-size' }, number(r.treeSize)),
      h('dt', null, t('audit.inclusionRoot')),
      h('dd', null, h('code', { 'data-testid': 'inclusion-root', title: r.rootHash }, r.rootHash)),
      h('dt', null, t('audit.inclusionSignedAt')),
      h('dd', null, dateTime(head.timestamp)),
    );
    if (r.ok)
      return h(
        'div',
        { 'data-result': 'verified' },
        alert('ok', title(t('audit.inclusionVerified')), t(r.signature === 'valid' ? 'audit.inclusionSignatureOk' : 'audit.inclusionSignatureUnchecked'), facts),
      );
    return h('div', { 'data-result': 'failed' }, alert('bad', title(t('audit.inclusionFailed')), t(`audit.inclusionReason.${r.reason}`), facts));
  } catch (err) {
    return errorView(err);
  }
}
