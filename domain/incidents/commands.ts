import type {
  HandlingDocument,
  HandlingKind,
  HandlingPerson,
  HandlingRecord,
  IncidentCategory,
  IncidentChainScope,
  IncidentLevel,
  IncidentPlace,
  IncidentSource,
  ResponsiblePerson,
} from './types';

/** 录入: an incident is recorded with what, where, when, how bad, where from, who answers for it, and its chain. */
export type RecordIncident = {
  type: 'RecordIncident';
  data: {
    incidentId: string;
    title: string;
    description: string;
    /** ISO time it happened (not after now). */
    occurredAt: string;
    place: IncidentPlace;
    category: IncidentCategory;
    level: IncidentLevel;
    /** The trace codes named when recording (the chain synthesis starts from them). */
    traceCodes: string[];
    /** Entities named as involved (may be empty). */
    entityIds: string[];
    source: IncidentSource;
    responsible: ResponsiblePerson;
    chain: IncidentChainScope;
  };
};

/** 分级: the level changes as the picture becomes clearer. */
export type GradeIncident = { type: 'GradeIncident'; data: { level: IncidentLevel; reason: string } };

/**
 * 审核: the responsible person decides whether to start the response (启动应急处置). Starting it takes the
 * chain as synthesised now (it may have grown since recording) and the recall deadline.
 */
export type ReviewIncident = {
  type: 'ReviewIncident';
  data: { decision: 'start-response' | 'no-response'; opinion: string; chain: IncidentChainScope; recallDeadline: string };
};

/** The chain grew (a pending hand-over confirmed, a lot found later): the response covers the new part. */
export type ExtendIncidentChain = { type: 'ExtendIncidentChain'; data: { chain: IncidentChainScope; cause: string } };

/** 处置记录: an action, a document, people deployed. */
export type LogHandling = {
  type: 'LogHandling';
  data: { kind: HandlingKind; description: string; documents: HandlingDocument[]; people: HandlingPerson[] };
};

/** 应急信息发布: a notice shown on the consumer pages of the affected codes. */
export type PublishPublicNotice = {
  type: 'PublishPublicNotice';
  data: { noticeId: string; title: string; body: string; traceCodes: string[] };
};

/** Closing leaves the handling record (应急事件记录); the response, its holds and its grant end. */
export type CloseIncident = { type: 'CloseIncident'; data: { record: HandlingRecord } };

export type IncidentCommand = RecordIncident | GradeIncident | ReviewIncident | ExtendIncidentChain | LogHandling | PublishPublicNotice | CloseIncident;
