import { decide, refusal, type AccessAction, type AccessDecision } from '../../../../application/access/policy';
import type { AccessGrant } from '../../../../application/access/grants';
import {
  entityResource,
  inspectionResource,
  lotResource,
  regionResource,
  sampleResource,
  streamResource,
  taskResource,
  transferResource,
  wholeLedger,
  type Resource,
} from '../../../../application/access/resources';
import type { Actor, Role } from '../../../../domain/shared/actor';

/**
 * The access policy as rules: given an actor (and the grants in force), when it reads or acts on a record,
 * then it is allowed on some footing or denied for some reason.
 */
const actor = (role: Role, regionCode: string, orgId = `org-${role}-${regionCode}`, userId = `u-${role}-${regionCode}`): Actor => ({ role, regionCode, orgId, userId });

function given(who: Actor, grants: AccessGrant[] = []) {
  return {
    when(action: AccessAction, resource: Resource) {
      const decision = decide(who, action, resource, grants);
      return {
        thenAllowed(via: Extract<AccessDecision, { allowed: true }>['via']) {
          expect(decision).toMatchObject({ allowed: true, via });
          return decision;
        },
        thenDenied(reason: Extract<AccessDecision, { allowed: false }>['reason'], status?: 403 | 404) {
          expect(decision).toMatchObject({ allowed: false, reason });
          if (status && !decision.allowed) {
            const err = refusal(decision) as Error & { code: string };
            expect(err.code).toBe(status === 404 ? 'NOT_FOUND' : reason === 'not-party' ? 'NOT_HOLDER' : 'OUT_OF_SCOPE');
          }
          return decision;
        },
      };
    },
  };
}

const ledongLot = lotResource({ _id: '469027-LOT', _v: 1, holder: { entityId: 'E-ledong', regionCode: '469027' } });
const qixiaEntity = entityResource({ _id: 'E-qixia', regionCode: '370686' });

describe('access policy: region subtree', () => {
  it.each([
    ['ministry', actor('ministry-admin', '')],
    ['province 46', actor('province-admin', '46')],
    ['city 4690', actor('city-admin', '4690')],
    ['county 469027', actor('county-admin', '469027')],
    ['supervisor 469027', actor('supervisor', '469027')],
  ])('%s reads a lot held in 469027', (_n, who) => {
    given(who).when('read', ledongLot).thenAllowed('region');
  });

  it.each([
    ['province 37', actor('province-admin', '37')],
    ['county 469025 (next door)', actor('county-admin', '469025')],
    ['auditor 44', actor('auditor', '44')],
  ])('%s is refused a lot held in 469027 (403 OUT_OF_SCOPE)', (_n, who) => {
    given(who).when('read', ledongLot).thenDenied('out-of-region', 403);
  });

  it('the platform itself may do anything', () => {
    given({ role: 'system', orgId: 'platform', userId: 'system', regionCode: '' }).when('act', qixiaEntity).thenAllowed('system');
  });
});

describe('access policy: townships (9-digit scopes)', () => {
  const township = actor('township-admin', '469027100');

  it('a record located in the township (its code starts with the township code) is in scope', () => {
    given(township).when('read', entityResource({ _id: 'E-t', regionCode: '469027', townshipCode: '469027100' })).thenAllowed('region');
    given(township).when('read', entityResource({ _id: 'E-v', regionCode: '469027100201' })).thenAllowed('region');
  });

  it('a record located only to the county is not in a township scope', () => {
    given(township).when('read', entityResource({ _id: 'E-c', regionCode: '469027' })).thenDenied('out-of-region', 403);
  });

  it('another township of the same county is out of scope; the county covers both', () => {
    const other = entityResource({ _id: 'E-o', regionCode: '469027', townshipCode: '469027200' });
    given(township).when('read', other).thenDenied('out-of-region');
    given(actor('county-admin', '469027')).when('read', other).thenAllowed('region');
  });

  it('a township account sees the inspection task that names it as an inspector, wherever it is located', () => {
    const task = inspectionResource({ _id: 'I1', _v: 1, regionCode: '469027', inspectorIds: [township.userId], publisher: { orgId: 'org-county' } });
    given(township).when('read', task).thenAllowed('party');
    given(actor('township-admin', '469027200')).when('read', task).thenDenied('out-of-region');
  });
});

describe('access policy: parties', () => {
  const holder = actor('producer', '469027', 'E-ledong');
  const stranger = actor('producer', '469027', 'E-other');

  it('a producer sees its own lot and entity; another producer of the same county does not learn they exist (404)', () => {
    given(holder).when('read', ledongLot).thenAllowed('party');
    given(stranger).when('read', ledongLot).thenDenied('not-party', 404);
  });

  it('a producer acting for another entity is refused as NOT_HOLDER', () => {
    given(stranger).when('act', entityResource({ _id: 'E-ledong', regionCode: '469027' })).thenDenied('not-party', 403);
  });

  it('both sides of a transfer see it, and supervision of either side', () => {
    const transfer = transferResource({ _id: 'T1', _v: 1, fromEntityId: 'E-ledong', toEntityId: 'E-qixia', fromRegion: '469027', toRegion: '370686' });
    given(holder).when('read', transfer).thenAllowed('party');
    given(actor('producer', '370686', 'E-qixia')).when('read', transfer).thenAllowed('party');
    given(actor('county-admin', '370686')).when('read', transfer).thenAllowed('region');
    given(actor('county-admin', '440111')).when('read', transfer).thenDenied('out-of-region');
  });
});

describe('access policy: labs', () => {
  const hainanLab = actor('lab', '46', 'demo-lab');
  const guangzhouLot = lotResource({ _id: '440111-LOT', _v: 1, holder: { entityId: 'E-gz', regionCode: '440111' } });

  it('a lab reads lots in its region, not elsewhere', () => {
    given(hainanLab).when('read', ledongLot).thenAllowed('region');
    given(hainanLab).when('read', guangzhouLot).thenDenied('out-of-region', 403);
  });

  it('a lab acts (samples) only on lots and entities in its region', () => {
    given(hainanLab).when('act', ledongLot).thenAllowed('region');
    given(hainanLab).when('act', guangzhouLot).thenDenied('out-of-region', 403);
    given(hainanLab).when('act', qixiaEntity).thenDenied('out-of-region', 403);
  });

  it('a lab sees its own samples and tasks only; another lab’s are unknown to it (404) even in its region', () => {
    const own = sampleResource({ _id: 'S1', _v: 1, labOrgId: 'demo-lab', regionCode: '469027', subject: { entityId: 'E-ledong' } });
    const others = sampleResource({ _id: 'S2', _v: 1, labOrgId: 'other-lab', regionCode: '469027', subject: { entityId: 'E-ledong' } });
    given(hainanLab).when('read', own).thenAllowed('party');
    given(hainanLab).when('read', others).thenDenied('not-party', 404);
    given(hainanLab).when('read', taskResource({ _id: 'K1', _v: 1, regionCode: '460000', labOrgIds: ['other-lab'] })).thenDenied('not-party', 404);
  });

  it('a lab acting on its own sample still needs the sampled party inside its region', () => {
    const ownElsewhere = sampleResource({ _id: 'S3', _v: 1, labOrgId: 'demo-lab', regionCode: '440111', subject: { entityId: 'E-gz' } });
    given(hainanLab).when('read', ownElsewhere).thenAllowed('party');
    given(hainanLab).when('act', ownElsewhere).thenDenied('out-of-region', 403);
  });
});

describe('access policy: monitoring tasks overlap regions', () => {
  const hainanTask = taskResource({ _id: 'K1', _v: 1, regionCode: '460000', publisherOrgId: 'org-hn', labOrgIds: ['demo-lab'] });
  it('a county takes part in its province’s task; another province does not', () => {
    given(actor('county-admin', '469027')).when('read', hainanTask).thenAllowed('region');
    given(actor('province-admin', '37')).when('read', hainanTask).thenDenied('out-of-region');
  });
  it('publishing a task for a province needs that province in scope', () => {
    given(actor('province-admin', '46')).when('act', regionResource('460000')).thenAllowed('region');
    given(actor('county-admin', '469027')).when('act', regionResource('460000')).thenDenied('out-of-region');
  });
});

describe('access policy: national-only records', () => {
  it('only the national scope reads the whole ledger or a stream without a region', () => {
    given(actor('auditor', '')).when('read', wholeLedger()).thenAllowed('region');
    given(actor('auditor', '46')).when('read', wholeLedger()).thenDenied('national-only', 403);
    given(actor('auditor', '46')).when('read', streamResource('account-admin', {})).thenDenied('national-only');
  });
  it('a regional auditor replays streams of its region', () => {
    given(actor('auditor', '46')).when('read', streamResource('entity-E1', { regionCode: '469027' })).thenAllowed('region');
    given(actor('auditor', '37')).when('read', streamResource('entity-E1', { regionCode: '469027' })).thenDenied('out-of-region');
  });
});

describe('access policy: grants', () => {
  const grant: AccessGrant = {
    grantId: 'G1',
    reason: { kind: 'incident-response', incidentId: 'INC-1' },
    granteeRegionCodes: ['37'],
    traceCodes: ['469027-LOT'],
    entityIds: ['E-holder'],
    from: '2026-11-01T00:00:00.000Z',
    until: null,
  };
  const shandong = actor('province-admin', '37');

  it('a grant in force opens the lots and entities it names for reading, and says which incident', () => {
    const d = given(shandong, [grant]).when('read', ledongLot).thenAllowed('grant');
    expect(d).toMatchObject({ grant: { grantId: 'G1', incidentId: 'INC-1' } });
    given(shandong, [grant]).when('read', entityResource({ _id: 'E-holder', regionCode: '469027' })).thenAllowed('grant');
  });

  it('a grant opens nothing it does not name, and never an act', () => {
    given(shandong, [grant]).when('read', lotResource({ _id: 'OTHER', _v: 1, holder: { entityId: 'E-x', regionCode: '469027' } })).thenDenied('out-of-region');
    given(shandong, [grant]).when('act', ledongLot).thenDenied('out-of-region');
  });

  it('a grant does not reach producers, who see only what they are party to', () => {
    given(actor('producer', '37', 'E-sd'), [grant]).when('read', ledongLot).thenDenied('not-party', 404);
  });
});
