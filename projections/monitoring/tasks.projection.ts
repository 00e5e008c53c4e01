import { TASK_EVENT_TYPES, type TaskEvent } from '../../domain/monitoring/events';
import type { ResultRecorded, SampleTaken } from '../../domain/sampling/events';
import type { Projection } from '../runner/projection';

type Counts = { samples: number; tested: number; pass: number; fail: number; inconclusive: number };

/** `monitoring_tasks`: each task, its model, labs, spot-check draw, reports, and live sample counts. */
export const tasksProjection: Projection = {
  name: 'monitoring-tasks',
  version: 1,
  handles: [...TASK_EVENT_TYPES, 'SampleTaken', 'ResultRecorded'],
  collections: ['monitoring_tasks'],
  async apply(raw, ctx) {
    if (raw.type === 'TaskPublished') {
      const d = (raw.data as unknown as Extract<TaskEvent, { type: 'TaskPublished' }>['data']);
      ctx.put('monitoring_tasks', {
        _id: d.taskId,
        taskId: d.taskId,
        kind: d.kind,
        title: d.title,
        description: d.description ?? null,
        regionCode: d.regionCode,
        period: d.period,
        urgency: d.urgency,
        publisher: d.publisher,
        publisherOrgId: d.publisher.orgId,
        leadLab: d.leadLab,
        labOrgIds: [d.leadLab.orgId],
        labs: [],
        status: 'published',
        model: null,
        selection: null,
        labReports: [],
        report: null,
        counts: { samples: 0, tested: 0, pass: 0, fail: 0, inconclusive: 0 } satisfies Counts,
        verdicts: {},
        publishedAt: d.publishedAt,
      });
      return;
    }
    const taskId = (raw.data as { taskId: string }).taskId;
    const doc = await ctx.get('monitoring_tasks', taskId);
    if (!doc) throw new Error(`monitoring_tasks: ${raw.type} for unknown task ${taskId}`);
    const counts = { ...(doc.counts as Counts) };
    const verdicts = { ...(doc.verdicts as Record<string, keyof Counts>) };
    switch (raw.type) {
      case 'SampleTaken':
        counts.samples++;
        ctx.put('monitoring_tasks', { ...doc, counts, lastSampleAt: (raw.data as unknown as SampleTaken['data']).sampledAt });
        return;
      case 'ResultRecorded': {
        const d = raw.data as unknown as ResultRecorded['data'];
        const before = verdicts[d.sampleId];
        if (before) counts[before]--;
        else counts.tested++;
        counts[d.verdict]++;
        verdicts[d.sampleId] = d.verdict;
        ctx.put('monitoring_tasks', { ...doc, counts, verdicts });
        return;
      }
    }
    const event = { type: raw.type, data: raw.data } as TaskEvent;
    switch (event.type) {
      case 'MonitoringModelConfigured':
        ctx.put('monitoring_tasks', { ...doc, status: 'configured', model: event.data.model, configuredAt: event.data.configuredAt });
        return;
      case 'TaskDistributed':
        ctx.put('monitoring_tasks', {
          ...doc,
          status: 'distributed',
          labs: [...(doc.labs as unknown[]), ...event.data.assignments],
          labOrgIds: [...new Set([...(doc.labOrgIds as string[]), ...event.data.assignments.map((a) => a.orgId)])],
        });
        return;
      case 'SpotCheckEntitiesSelected': {
        const { taskId: _t, ...selection } = event.data;
        ctx.put('monitoring_tasks', { ...doc, selection });
        return;
      }
      case 'LabReportSubmitted':
        ctx.put('monitoring_tasks', { ...doc, labReports: [...(doc.labReports as unknown[]), { lab: event.data.lab, summary: event.data.summary, note: event.data.note, submittedAt: event.data.submittedAt }] });
        return;
      case 'TaskReported':
        ctx.put('monitoring_tasks', { ...doc, status: 'reported', report: { summary: event.data.summary, conclusion: event.data.conclusion, reportedTo: event.data.reportedTo, reportedAt: event.data.reportedAt } });
        return;
      default:
        return;
    }
  },
};
