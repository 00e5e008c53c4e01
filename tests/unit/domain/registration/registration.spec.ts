import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { CN_HOLIDAYS } from '../../../../domain/shared/holidays-cn';
import {
  decider,
  entityStreamId,
  generateEid,
  type ApplyForRegistration,
  type RegistrationContext,
  type RegistrationEvent,
} from '../../../../domain/registration';
import { PRODUCER, spec } from '../support/decider-spec';
import { BASE, creditCode } from '../support/fixtures';

const NOW = new Date('2026-02-13T01:30:00.000Z'); // Friday 09:30 CST, just before the Spring Festival
const ctx: RegistrationContext = { now: NOW, actor: PRODUCER, calendar: CN_HOLIDAYS };
const REVIEWER = { userId: 'u-county', orgId: 'county-110101', role: 'county-admin' as const, regionCode: '110101' };
const reviewCtx: RegistrationContext = { ...ctx, actor: REVIEWER, now: new Date('2026-02-24T02:00:00.000Z') };
const EID = generateEid('110101', '7K3QX');

const application: ApplyForRegistration['data'] = {
  entityId: 'ent-1',
  name: '北京东城绿源蔬菜专业合作社',
  entityType: 'cooperative',
  regionCode: '110101',
  address: '北京市东城区某街道 1 号',
  legalRepresentative: '张三',
  contactPhone: '13800138000',
  creditCode: creditCode(),
  bases: [BASE],
  products: ['豇豆', '韭菜'],
};
const apply = (data: Partial<ApplyForRegistration['data']> = {}) => ({ type: 'ApplyForRegistration' as const, data: { ...application, ...data } });

const applied: RegistrationEvent = {
  type: 'RegistrationApplied',
  data: { ...application, appliedAt: NOW.toISOString(), reviewDeadline: '2026-02-27T15:59:59.999Z' },
};
const approved: RegistrationEvent = {
  type: 'RegistrationApproved',
  data: { entityId: 'ent-1', eid: EID, approvedAt: reviewCtx.now.toISOString(), reviewerId: 'u-county' },
};
const rejected: RegistrationEvent = {
  type: 'RegistrationRejected',
  data: { entityId: 'ent-1', reason: '材料不全', rejectedAt: reviewCtx.now.toISOString(), reviewerId: 'u-county' },
};

const registration = () => spec(decider, ctx);

describe('registration: ApplyForRegistration', () => {
  it('records the application with a review deadline 5 working days later (holidays skipped)', () => {
    const { state } = registration().given([]).when(apply()).then([applied]);
    expect(state.status).toBe('pending');
    expect(state.bases[0]!.lat).toBe(39.928353123456); // coordinates kept exactly as given
    expect(entityStreamId('ent-1')).toBe('entity-ent-1');
  });

  it('lets a household apply without a credit code', () => {
    const { creditCode: _omit, ...withoutCode } = application;
    registration()
      .given([])
      .when({ type: 'ApplyForRegistration', data: { ...withoutCode, entityType: 'household' } })
      .thenMatches(([e]) => expect(e!.type).toBe('RegistrationApplied'));
  });

  it('refuses to apply twice for the same entity, whatever the status', () => {
    registration().given([applied]).when(apply()).thenThrows(InvalidStateError);
    registration().given([applied, rejected]).when(apply()).thenThrows(InvalidStateError);
  });

  it.each([
    ['name', { name: ' ' }],
    ['entityType', { entityType: 'company' as never }],
    ['regionCode', { regionCode: '999999' }],
    ['address', { address: '' }],
    ['legalRepresentative', { legalRepresentative: '' }],
    ['contactPhone', { contactPhone: '12345' }],
    ['creditCode', { creditCode: '91110101MA01ABCD2Z' }],
    ['creditCode', { creditCode: undefined }],
    ['bases', { bases: [] }],
    ['bases[0].lat', { bases: [{ ...BASE, lat: 60 }] }],
    ['bases[0].lon', { bases: [{ ...BASE, lon: 39.9 }] }],
    ['bases[0].regionCode', { bases: [{ ...BASE, regionCode: '110199' }] }],
    ['bases[0].areaMu', { bases: [{ ...BASE, areaMu: -1 }] }],
    ['bases[0].products', { bases: [{ ...BASE, products: [] }] }],
    ['bases[1].baseId', { bases: [BASE, { ...BASE }] }],
    ['products', { products: [] }],
  ])('rejects a bad %s', (field, patch) => {
    registration().given([]).when(apply(patch)).thenThrows(ValidationError, field);
  });
});

describe('registration: ApproveRegistration', () => {
  it('issues the e-ID to a pending application', () => {
    const { state } = registration().given([applied]).when({ type: 'ApproveRegistration', data: { eid: EID } }, reviewCtx).then([approved]);
    expect(state).toMatchObject({ status: 'approved', eid: EID });
  });

  it('refuses to approve twice or after a rejection', () => {
    registration().given([applied, approved]).when({ type: 'ApproveRegistration', data: { eid: EID } }, reviewCtx).thenThrows(InvalidStateError);
    registration().given([applied, rejected]).when({ type: 'ApproveRegistration', data: { eid: EID } }, reviewCtx).thenThrows(InvalidStateError);
    registration().given([]).when({ type: 'ApproveRegistration', data: { eid: EID } }, reviewCtx).thenThrows(InvalidStateError);
  });

  it('refuses a malformed e-ID or one from another region', () => {
    const wrongCheck = EID.slice(0, 11) + (EID[11] === '0' ? '1' : '0');
    registration().given([applied]).when({ type: 'ApproveRegistration', data: { eid: wrongCheck } }, reviewCtx).thenThrows(ValidationError, 'eid');
    registration().given([applied]).when({ type: 'ApproveRegistration', data: { eid: generateEid('110102', '7K3QX') } }, reviewCtx).thenThrows(ValidationError, 'eid');
  });
});

describe('registration: RejectRegistration', () => {
  it('rejects a pending application with a reason', () => {
    registration().given([applied]).when({ type: 'RejectRegistration', data: { reason: '材料不全' } }, reviewCtx).then([rejected]);
  });

  it('needs a reason and a pending application', () => {
    registration().given([applied]).when({ type: 'RejectRegistration', data: { reason: '  ' } }, reviewCtx).thenThrows(ValidationError, 'reason');
    registration().given([applied, approved]).when({ type: 'RejectRegistration', data: { reason: 'x' } }, reviewCtx).thenThrows(InvalidStateError);
    registration().given([applied, rejected]).when({ type: 'RejectRegistration', data: { reason: 'x' } }, reviewCtx).thenThrows(InvalidStateError);
  });
});

describe('registration: UpdateRegistration', () => {
  const update = (changes: object) => ({ type: 'UpdateRegistration' as const, data: { changes } });

  it('changes contact details while pending or approved', () => {
    for (const given of [[applied], [applied, approved]]) {
      const { state } = registration()
        .given(given)
        .when(update({ contactPhone: '010-65123456', products: ['芹菜'] }))
        .then([{ type: 'RegistrationUpdated', data: { entityId: 'ent-1', changes: { contactPhone: '010-65123456', products: ['芹菜'] }, updatedAt: NOW.toISOString() } }]);
      expect(state.products).toEqual(['芹菜']);
      expect(state.name).toBe(application.name);
    }
  });

  it('refuses after a rejection or before applying', () => {
    registration().given([applied, rejected]).when(update({ name: '新名' })).thenThrows(InvalidStateError);
    registration().given([]).when(update({ name: '新名' })).thenThrows(InvalidStateError);
  });

  it('refuses empty, unknown or invalid changes', () => {
    registration().given([applied]).when(update({})).thenThrows(ValidationError, 'changes');
    registration().given([applied]).when(update({ regionCode: '110102' })).thenThrows(ValidationError, 'changes.regionCode');
    registration().given([applied]).when(update({ contactPhone: 'call me' })).thenThrows(ValidationError, 'changes.contactPhone');
    registration().given([applied]).when(update({ name: '' })).thenThrows(ValidationError, 'changes.name');
  });
});

describe('registration: AddBase', () => {
  const base2 = { ...BASE, baseId: 'base-2', name: '第二基地', lat: 39.9, lon: 116.4, products: ['韭菜'] };

  it('adds a base while pending or approved', () => {
    const { state } = registration()
      .given([applied, approved])
      .when({ type: 'AddBase', data: { base: base2 } })
      .then([{ type: 'BaseAdded', data: { entityId: 'ent-1', base: base2, addedAt: NOW.toISOString() } }]);
    expect(state.bases.map((b) => b.baseId)).toEqual(['base-1', 'base-2']);
  });

  it('refuses a duplicate base id, a bad base, or a rejected entity', () => {
    registration().given([applied]).when({ type: 'AddBase', data: { base: BASE } }).thenThrows(BusinessRuleError, 'DUPLICATE_BASE_ID');
    registration().given([applied]).when({ type: 'AddBase', data: { base: { ...base2, lat: Number.NaN } } }).thenThrows(ValidationError, 'base.lat');
    registration().given([applied, rejected]).when({ type: 'AddBase', data: { base: base2 } }).thenThrows(InvalidStateError);
  });
});
