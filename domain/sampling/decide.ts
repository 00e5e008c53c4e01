import type { DecisionContext } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import { assertValidQuantity, isPositive } from '../shared/quantity';
import { isIsoDate, optionalText, requireLatLon, requireRegionCode, requireText } from '../shared/validate';
import { cstDateString } from '../shared/working-days';
import { traceCodeParts } from '../lots/trace-code';
import { assertActsForOrg, assertSupervisionAgency, isSupervisionAgency } from '../monitoring/actors';
import { regionPrefix } from '../monitoring/decide';
import type { TakeSample, SampleCommand } from './commands';
import type { SampleEvent } from './events';
import type { SampleState } from './state';
import type { ManualProduct, SampleSubject, SamplingPlace } from './types';
import { judgeResults, VERDICT_LABELS_ZH } from './verdict';

export type SampleContext = DecisionContext;

export function decide(command: SampleCommand, state: SampleState, ctx: SampleContext): SampleEvent[] {
  const now = ctx.now.toISOString();
  if (command.type !== 'TakeSample' && state.status === 'none') throw new InvalidStateError('sample does not exist', { command: command.type });
  switch (command.type) {
    case 'TakeSample': {
      if (state.status !== 'none') throw new InvalidStateError(`sample ${state.sampleId} already exists`, { status: state.status });
      return [takeSample(command.data, ctx)];
    }
    case 'RecordResult': {
      const round = state.status === 'taken' ? 'initial' : state.status === 'retest-requested' ? 'retest' : null;
      if (!round) throw new InvalidStateError(`no result is expected for a sample that is ${state.status}`, { status: state.status });
      const lab = round === 'initial' ? state.labOrgId : state.retestLab!.orgId;
      assertActsForOrg(ctx.actor, [lab], round === 'initial' ? 'record the result (the sample’s lab)' : 'record the re-test result (the re-test lab)');
      const d = command.data;
      const testedAt = requireInstant(d.testedAt, 'testedAt');
      if (testedAt > now) throw new ValidationError('testedAt', 'testedAt is in the future', { testedAt });
      if (testedAt < state.sampledAt) throw new ValidationError('testedAt', 'testedAt is before the sample was taken', { testedAt, sampledAt: state.sampledAt });
      const { outcomes, verdict } = judgeResults(state.model!.analytes, d.analytes, 'analytes');
      return [
        {
          type: 'ResultRecorded',
          data: {
            sampleId: state.sampleId,
            taskId: state.taskId,
            round,
            labOrgId: lab,
            product: state.product,
            subject: { ...state.subject! },
            traceCode: state.traceCode,
            publisher: { ...state.publisher! },
            outcomes,
            verdict,
            failed: outcomes.filter((o) => o.verdict === 'fail').map((o) => o.name),
            testedAt,
            reportNo: optionalText(d.reportNo, 'reportNo', 100) ?? null,
            method: optionalText(d.method, 'method', 300) ?? null,
            recordedAt: now,
          },
        },
      ];
    }
    case 'RequestRetest': {
      assertSupervisionAgency(ctx.actor, 'issue a re-test');
      if (state.status !== 'tested') {
        throw new InvalidStateError(state.status === 'taken' ? 'the sample has no result to re-test yet' : 'a sample is re-tested once', { status: state.status });
      }
      if (state.initialVerdict === 'pass') {
        throw new BusinessRuleError('RETEST_NOT_APPLICABLE', `the result is ${VERDICT_LABELS_ZH.pass}; a re-test is for disputed failures`, { verdict: state.initialVerdict });
      }
      const d = command.data;
      const reason = requireText(d.reason, 'reason', 2000);
      if (typeof d.retestLab !== 'object' || d.retestLab === null) throw new ValidationError('retestLab', 'retestLab is required');
      const retestLab = { orgId: requireText(d.retestLab.orgId, 'retestLab.orgId', 100), name: requireText(d.retestLab.name, 'retestLab.name', 200) };
      const requestedBy = requireText(d.requestedBy, 'requestedBy', 200);
      return [{ type: 'RetestRequested', data: { sampleId: state.sampleId, taskId: state.taskId, traceCode: state.traceCode, reason, retestLab, requestedBy, requestedAt: now } }];
    }
    case 'ReferSample': {
      if (state.caseId) throw new InvalidStateError(`the sample was already referred as case ${state.caseId}`, { caseId: state.caseId });
      if (state.initialVerdict !== 'fail' && state.retestVerdict !== 'fail') {
        throw new BusinessRuleError('NOT_FAILED', 'only a failed sample is referred to enforcement', { verdict: state.retestVerdict ?? state.initialVerdict ?? null });
      }
      return [{ type: 'SampleReferred', data: { sampleId: state.sampleId, taskId: state.taskId, caseId: requireText(command.data.caseId, 'caseId', 100), referredAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

function requireInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new ValidationError(field, `${field} must be an ISO-8601 date-time`, { value });
  }
  return new Date(value).toISOString();
}

function takeSample(d: TakeSample['data'], ctx: SampleContext): SampleEvent {
  const now = ctx.now.toISOString();
  const sampleId = requireText(d.sampleId, 'sampleId', 100);
  const task = d.task;
  if (task.status !== 'distributed' || !task.model) {
    throw new BusinessRuleError('TASK_NOT_OPEN', `task ${task.taskId} is ${task.status}: samples are taken once it is distributed and until it is reported`, {
      taskId: task.taskId,
      status: task.status,
    });
  }
  // Labs sample for their own work; in a spot check, supervision or enforcement staff may also take the
  // sample (seed 002, 第二十条: 有执法证的抽样人员) and hand it to one of the task's labs.
  const agencySampler = task.kind === 'spotCheck' && (isSupervisionAgency(ctx.actor.role) || ['supervisor', 'inspector', 'enforcement'].includes(ctx.actor.role));
  if (!agencySampler) assertActsForOrg(ctx.actor, task.labOrgIds, 'take a sample for this task');
  const labOrgId = d.labOrgId ?? ctx.actor.orgId;
  if (!task.labOrgIds.includes(labOrgId)) {
    throw new ValidationError('labOrgId', `lab ${labOrgId} is neither the lead lab nor an undertaking lab of the task`, { labs: task.labOrgIds });
  }

  const source = d.source;
  let product: string;
  let subject: SampleSubject;
  let traceCode: string | null = null;
  let manual: ManualProduct | null = null;
  if (source?.kind === 'lot') {
    const lot = source.lot;
    if (!traceCodeParts(lot.traceCode)) throw new ValidationError('traceCode', 'traceCode is not a well-formed trace code');
    traceCode = lot.traceCode;
    product = lot.product;
    subject = { entityId: lot.entityId, eid: lot.eid, entityName: lot.entityName, regionCode: lot.regionCode };
  } else if (source?.kind === 'manual') {
    manual = validateManual(source.manual);
    product = manual.product;
    subject = { entityId: manual.entityId ?? null, eid: null, entityName: manual.entityName, regionCode: manual.regionCode };
  } else {
    throw new ValidationError('source.kind', "source.kind must be 'lot' (scan a trace code) or 'manual'");
  }
  if (!task.model.products.includes(product)) {
    throw new BusinessRuleError('PRODUCT_NOT_IN_MODEL', `${product} is not a product of the task’s monitoring model (${task.model.products.join('、')})`, {
      product,
      products: task.model.products,
    });
  }
  const place = validatePlace(d.place, task.regionCode);
  const sampledAt = requireInstant(d.sampledAt, 'sampledAt');
  if (sampledAt > now) throw new ValidationError('sampledAt', 'sampledAt is in the future', { sampledAt });
  const day = cstDateString(new Date(sampledAt));
  if (day < task.period.from || day > task.period.to) {
    throw new BusinessRuleError('OUTSIDE_TASK_PERIOD', `sampled on ${day}, outside the task period ${task.period.from}–${task.period.to}`, { day, period: task.period });
  }
  if (task.eligibleEntityIds && subject.entityId && !task.eligibleEntityIds.includes(subject.entityId)) {
    throw new BusinessRuleError('ENTITY_NOT_SELECTED', 'this entity was not drawn for the spot check (nor is it a key entity)', { entityId: subject.entityId });
  }
  if (typeof d.sampler !== 'object' || d.sampler === null) throw new ValidationError('sampler', 'sampler is required');
  const samplerName = requireText(d.sampler.name, 'sampler.name', 100);
  const certificateNo = optionalText(d.sampler.certificateNo, 'sampler.certificateNo', 100);
  let quantity = null;
  if (d.quantity !== undefined && d.quantity !== null) {
    assertValidQuantity(d.quantity, 'quantity');
    if (!isPositive(d.quantity)) throw new ValidationError('quantity.amount', 'quantity must be positive');
    quantity = { amount: d.quantity.amount, unit: d.quantity.unit };
  }
  return {
    type: 'SampleTaken',
    data: {
      sampleId,
      taskId: task.taskId,
      taskKind: task.kind,
      taskTitle: task.title,
      publisher: { ...task.publisher },
      labOrgId,
      product,
      subject,
      traceCode,
      lot: source.kind === 'lot' ? { ...source.lot } : null,
      manual,
      place,
      sampledAt,
      sampler: { name: samplerName, ...(certificateNo ? { certificateNo } : {}) },
      quantity,
      note: optionalText(d.note, 'note', 2000) ?? null,
      model: task.model,
      takenAt: now,
      takenBy: ctx.actor.userId,
    },
  };
}

function validateManual(m: ManualProduct): ManualProduct {
  if (typeof m !== 'object' || m === null) throw new ValidationError('source.manual', 'source.manual is required');
  const product = requireText(m.product, 'product', 100);
  const entityName = requireText(m.entityName, 'entityName', 200);
  const regionCode = requireRegionCode(m.regionCode, 'regionCode');
  const entityId = optionalText(m.entityId, 'entityId', 100);
  const address = optionalText(m.address, 'address', 300);
  const contactPhone = optionalText(m.contactPhone, 'contactPhone', 40);
  const batchNo = optionalText(m.batchNo, 'batchNo', 100);
  if (m.productionDate !== undefined && m.productionDate !== null && !isIsoDate(m.productionDate)) {
    throw new ValidationError('productionDate', 'productionDate must be YYYY-MM-DD');
  }
  return {
    product,
    entityName,
    regionCode,
    ...(entityId ? { entityId } : {}),
    ...(address ? { address } : {}),
    ...(contactPhone ? { contactPhone } : {}),
    ...(m.productionDate ? { productionDate: m.productionDate } : {}),
    ...(batchNo ? { batchNo } : {}),
  };
}

function validatePlace(p: SamplingPlace, taskRegion: string): SamplingPlace {
  if (typeof p !== 'object' || p === null) throw new ValidationError('place', 'place is required');
  const address = requireText(p.address, 'place.address', 300);
  const regionCode = requireRegionCode(p.regionCode, 'place.regionCode');
  if (!regionCode.startsWith(regionPrefix(taskRegion))) {
    throw new ValidationError('place.regionCode', `the sampling place is outside the task’s region ${taskRegion}`, { regionCode, taskRegion });
  }
  const hasLat = p.lat !== undefined && p.lat !== null;
  const hasLon = p.lon !== undefined && p.lon !== null;
  if (hasLat || hasLon) {
    requireLatLon(p.lat, p.lon, 'place');
    return { address, regionCode, lat: p.lat!, lon: p.lon! };
  }
  return { address, regionCode };
}
