import { SAMPLE_EVENT_TYPES, type SampleEvent } from '../../domain/sampling/events';
import type { Projection } from '../runner/projection';

/** `samples`: each sample with its source, results (first and re-test), standing verdict and case. */
export const samplesProjection: Projection = {
  name: 'samples',
  version: 1,
  handles: SAMPLE_EVENT_TYPES,
  collections: ['samples'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as SampleEvent;
    if (event.type === 'SampleTaken') {
      const d = event.data;
      ctx.put('samples', {
        _id: d.sampleId,
        sampleId: d.sampleId,
        taskId: d.taskId,
        taskKind: d.taskKind,
        taskTitle: d.taskTitle,
        publisherOrgId: d.publisher.orgId,
        labOrgId: d.labOrgId,
        product: d.product,
        subject: d.subject,
        regionCode: d.subject.regionCode,
        traceCode: d.traceCode,
        source: d.traceCode ? 'lot' : 'manual',
        lot: d.lot,
        manual: d.manual,
        place: d.place,
        sampledAt: d.sampledAt,
        sampler: d.sampler,
        quantity: d.quantity,
        note: d.note,
        analytes: d.model.analytes.map((a) => ({ code: a.code, name: a.name, limit: a.limit })),
        standard: d.model.standard,
        status: 'taken',
        verdict: null,
        outcomes: [],
        failed: [],
        failedAt: null,
        initial: null,
        retest: null,
        retestRequest: null,
        caseId: null,
        takenAt: d.takenAt,
      });
      return;
    }
    const doc = await ctx.get('samples', event.data.sampleId);
    if (!doc) throw new Error(`samples: ${event.type} for unknown sample ${event.data.sampleId}`);
    switch (event.type) {
      case 'ResultRecorded': {
        const d = event.data;
        const result = { verdict: d.verdict, outcomes: d.outcomes, failed: d.failed, testedAt: d.testedAt, reportNo: d.reportNo, method: d.method, labOrgId: d.labOrgId, recordedAt: d.recordedAt };
        ctx.put('samples', {
          ...doc,
          [d.round]: result,
          status: d.round === 'initial' ? 'tested' : 'retested',
          verdict: d.verdict,
          outcomes: d.outcomes,
          failed: d.failed,
          failedAt: d.verdict === 'fail' ? d.recordedAt : null,
          testedAt: d.testedAt,
        });
        return;
      }
      case 'RetestRequested':
        ctx.put('samples', { ...doc, status: 'retest-requested', retestRequest: { reason: event.data.reason, retestLab: event.data.retestLab, requestedBy: event.data.requestedBy, requestedAt: event.data.requestedAt } });
        return;
      case 'SampleReferred':
        ctx.put('samples', { ...doc, caseId: event.data.caseId });
        return;
    }
  },
};
