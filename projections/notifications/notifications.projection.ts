import type { CaseOpened } from '../../domain/enforcement';
import type { FaultEscalated, FaultOverdue, FaultReported, FaultResolved } from '../../domain/faults';
import type { InspectionTaskPublished } from '../../domain/inspection';
import type { TaskDistributed, TaskPublished, TaskReported } from '../../domain/monitoring/events';
import { WARNING_LEVEL_LABELS_ZH } from '../../domain/risk/levels';
import type { WarningRaised } from '../../domain/risk/warning';
import type { ResultRecorded, RetestRequested } from '../../domain/sampling/events';
import type { RecordedEvent } from '../../application/ports/event-store';
import type { Projection } from '../runner/projection';

/**
 * `notifications`: the in-app inbox. One document per notifying event, addressed to organisations and
 * users (`to`: 'org:{id}', 'user:{id}' — a producer's org is its entity, so a lot's holder is told about
 * its hold) and/or to audiences in a region (`audience`: supervision, enforcement, lab, platform;
 * `regionCode` '' = nationwide). The webhook port carries the same events outward.
 */
export type Audience = 'supervision' | 'enforcement' | 'lab' | 'platform';

export const NOTIFYING_EVENT_TYPES = [
  'TaskPublished',
  'TaskDistributed',
  'TaskReported',
  'ResultRecorded',
  'RetestRequested',
  'WarningRaised',
  'CaseOpened',
  'InspectionTaskPublished',
  'FaultReported',
  'FaultEscalated',
  'FaultOverdue',
  'FaultResolved',
] as const;

interface Notice {
  kind: string;
  title: string;
  body: string;
  to: string[];
  audience: Audience[];
  regionCode: string;
  ref: { type: string; id: string };
  level?: string;
}

const org = (id: string | null | undefined) => (id ? [`org:${id}`] : []);

function noticeOf(event: RecordedEvent): Notice | null {
  switch (event.type) {
    case 'TaskPublished': {
      const d = event.data as unknown as TaskPublished['data'];
      return { kind: 'task', title: `新监测任务：${d.title}`, body: `${d.publisher.name} 发布，请配置监测模型并分发`, to: org(d.leadLab.orgId), audience: [], regionCode: d.regionCode, ref: { type: 'task', id: d.taskId } };
    }
    case 'TaskDistributed': {
      const d = event.data as unknown as TaskDistributed['data'];
      return { kind: 'task', title: '收到监测任务', body: `任务 ${d.taskId} 已分发给本单位承担`, to: d.assignments.flatMap((a) => org(a.orgId)), audience: [], regionCode: '', ref: { type: 'task', id: d.taskId } };
    }
    case 'TaskReported': {
      const d = event.data as unknown as TaskReported['data'];
      return { kind: 'task', title: '监测任务总报告', body: d.conclusion, to: org(d.reportedTo.orgId), audience: [], regionCode: '', ref: { type: 'task', id: d.taskId } };
    }
    case 'ResultRecorded': {
      const d = event.data as unknown as ResultRecorded['data'];
      if (d.verdict !== 'fail') return null;
      return {
        kind: 'result',
        title: `${d.product}${d.round === 'retest' ? '复检' : '检测'}不合格`,
        body: `${d.subject.entityName}：${d.failed.join('、')}`,
        to: org(d.publisher.orgId),
        audience: ['supervision'],
        regionCode: d.subject.regionCode,
        ref: { type: 'sample', id: d.sampleId },
      };
    }
    case 'RetestRequested': {
      const d = event.data as unknown as RetestRequested['data'];
      return { kind: 'retest', title: '复检任务', body: d.reason, to: org(d.retestLab.orgId), audience: [], regionCode: '', ref: { type: 'sample', id: d.sampleId } };
    }
    case 'WarningRaised': {
      const d = event.data as unknown as WarningRaised['data'];
      return {
        kind: 'warning',
        title: `风险预警 ${WARNING_LEVEL_LABELS_ZH[d.rule.level]}：${d.rule.name}`,
        body: d.hold ? `${d.reason}。批次 ${d.subject.traceCode} 暂停销售，请配合召回处置。` : d.reason,
        to: org(d.subject.entityId),
        audience: ['supervision'],
        regionCode: d.subject.regionCode,
        ref: { type: 'warning', id: d.warningId },
        level: d.rule.level,
      };
    }
    case 'CaseOpened': {
      const d = event.data as unknown as CaseOpened['data'];
      return { kind: 'case', title: '移交执法：新案件', body: d.summary, to: org(d.subject.entityId), audience: ['enforcement'], regionCode: d.subject.regionCode, ref: { type: 'case', id: d.caseId } };
    }
    case 'InspectionTaskPublished': {
      const d = event.data as unknown as InspectionTaskPublished['data'];
      return { kind: 'inspection', title: `基地巡查任务：${d.title}`, body: `请于 ${d.dueDate} 前完成`, to: d.inspectors.map((i) => `user:${i.userId}`), audience: [], regionCode: d.regionCode, ref: { type: 'inspection', id: d.inspectionId } };
    }
    case 'FaultReported': {
      const d = event.data as unknown as FaultReported['data'];
      return { kind: 'fault', title: `平台${d.level}级故障`, body: `${d.description}（影响：${d.affectedScope}）`, to: [], audience: ['platform', 'supervision'], regionCode: '', ref: { type: 'fault', id: d.faultId } };
    }
    case 'FaultEscalated': {
      const d = event.data as unknown as FaultEscalated['data'];
      return { kind: 'fault', title: `故障升级：${d.fromLevel}级 → ${d.toLevel}级`, body: d.reason, to: [], audience: ['platform', 'supervision'], regionCode: '', ref: { type: 'fault', id: d.faultId } };
    }
    case 'FaultOverdue': {
      const d = event.data as unknown as FaultOverdue['data'];
      return { kind: 'fault', title: `三级故障已超过${d.hours}小时未解除`, body: d.hours >= 24 ? '已超过最长处理时限' : '已超过12小时处理时限', to: [], audience: ['platform'], regionCode: '', ref: { type: 'fault', id: d.faultId } };
    }
    case 'FaultResolved': {
      const d = event.data as unknown as FaultResolved['data'];
      return { kind: 'fault', title: '平台已恢复正常运行', body: d.resolution, to: [], audience: ['platform', 'supervision'], regionCode: '', ref: { type: 'fault', id: d.faultId } };
    }
    default:
      return null;
  }
}

export const notificationsProjection: Projection = {
  name: 'notifications',
  version: 1,
  handles: NOTIFYING_EVENT_TYPES,
  collections: ['notifications'],
  async apply(raw, ctx) {
    const n = noticeOf(raw);
    if (!n || (n.to.length === 0 && n.audience.length === 0)) return;
    ctx.put('notifications', { _id: raw.eventId, ...n, at: raw.recordedAt, position: raw.position });
  },
};
