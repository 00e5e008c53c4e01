import type { AccessGrant } from '../../../../application/access/grants';
import { decide } from '../../../../application/access/policy';
import {
  accountResource,
  entityResource,
  incidentPlaceResource,
  incidentResource,
  inspectionStateResource,
  lotResource,
} from '../../../../application/access/resources';
import type { Actor, Role } from '../../../../domain/shared/actor';

const actor = (role: Role, regionCode: string, userId = `u-${role}-${regionCode}`): Actor => ({ role, regionCode, orgId: `org-${role}-${regionCode}`, userId });
const allowed = (who: Actor, action: 'read' | 'act', resource: Parameters<typeof decide>[2], grants: AccessGrant[] = []) => decide(who, action, resource, grants).allowed;

describe('incidents as a resource', () => {
  // Happened in 乐东 (469027), chain through 白云 (440111), led by the ministry ('').
  const crossBorder = incidentResource({ _id: 'inc-1', place: { regionCode: '469027' }, regionsTouched: ['469027', '440111'], leadRegionCode: '', responsible: { userId: 'u-resp' } });
  // Led by Hainan's department ('46'), all inside Hainan.
  const hainanLed = incidentResource({ incidentId: 'inc-2', regionsTouched: ['469027', '460105'], leadRegionCode: '46', responsible: { userId: 'u-resp' } });

  it('is seen by supervision of where it happened, every region of its chain and its lead', () => {
    expect(allowed(actor('county-admin', '469027'), 'read', crossBorder)).toBe(true);
    expect(allowed(actor('supervisor', '440111'), 'read', crossBorder)).toBe(true);
    expect(allowed(actor('province-admin', '44'), 'read', crossBorder)).toBe(true);
    expect(allowed(actor('ministry-admin', ''), 'read', crossBorder)).toBe(true);
    expect(allowed(actor('province-admin', '37'), 'read', crossBorder)).toBe(false);
    expect(allowed(actor('producer', '469027'), 'read', crossBorder)).toBe(false);
  });

  it('is managed by its responsible person and by supervision containing the lead region, not by the other regions it concerns', () => {
    expect(allowed(actor('county-admin', '440111', 'u-resp'), 'act', crossBorder)).toBe(true); // the responsible person
    expect(allowed(actor('ministry-admin', ''), 'act', crossBorder)).toBe(true);
    expect(allowed(actor('province-admin', '46'), 'act', crossBorder)).toBe(false); // '' is the national scope's only
    expect(allowed(actor('county-admin', '469027'), 'act', crossBorder)).toBe(false);
    expect(allowed(actor('province-admin', '46'), 'act', hainanLed)).toBe(true);
    expect(allowed(actor('city-admin', '4601'), 'act', hainanLed)).toBe(false);
    expect(allowed(actor('county-admin', '469027'), 'act', hainanLed)).toBe(false);
  });

  it('a grant of its response opens the incident for reading (never for acting); another incident’s grant does not', () => {
    const grant = (incidentId: string): AccessGrant => ({ grantId: 'g', reason: { kind: 'incident-response', incidentId }, granteeRegionCodes: ['370686'], traceCodes: [], entityIds: [], from: '2026-01-01T00:00:00.000Z', until: null });
    const qixia = actor('county-admin', '370686');
    expect(decide(qixia, 'read', crossBorder, [grant('inc-1')])).toMatchObject({ allowed: true, via: 'grant', grant: { incidentId: 'inc-1' } });
    expect(allowed(qixia, 'read', crossBorder, [grant('inc-9')])).toBe(false);
    expect(allowed(qixia, 'act', crossBorder, [grant('inc-1')])).toBe(false);
  });

  it('is recorded in the region where it happened', () => {
    expect(allowed(actor('county-admin', '469027'), 'act', incidentPlaceResource('469027'))).toBe(true);
    expect(allowed(actor('county-admin', '460105'), 'act', incidentPlaceResource('469027'))).toBe(false);
    expect(allowed(actor('county-admin', '469027'), 'act', incidentPlaceResource(undefined))).toBe(false);
  });
});

describe('accounts as a resource', () => {
  it('an admin administers the accounts of its region subtree; a ministry account only the national scope', () => {
    expect(allowed(actor('county-admin', '469027'), 'act', accountResource({ accountId: 'a', regionCode: '469027100' }))).toBe(true);
    expect(allowed(actor('county-admin', '469027'), 'act', accountResource({ accountId: 'a', regionCode: '46' }))).toBe(false);
    expect(allowed(actor('province-admin', '37'), 'act', accountResource({ accountId: 'a', regionCode: '469027' }))).toBe(false);
    expect(allowed(actor('province-admin', '46'), 'act', accountResource({ accountId: 'a', regionCode: '' }))).toBe(false);
    expect(allowed(actor('ministry-admin', ''), 'act', accountResource({ accountId: 'a', regionCode: '' }))).toBe(true);
  });
});

describe('inspection tasks as their handler loads them', () => {
  const task = inspectionStateResource({ inspectionId: 'i-1', regionCode: '469027', inspectors: ['u-foluo'], publisherOrgId: 'org-ledong' });
  it('the named inspector, the publisher and supervision of the region act on it; others are refused', () => {
    expect(allowed(actor('township-admin', '469027108', 'u-foluo'), 'act', task)).toBe(true);
    expect(allowed({ ...actor('county-admin', '469027'), orgId: 'org-ledong' }, 'act', task)).toBe(true);
    expect(allowed(actor('inspector', '469027'), 'act', task)).toBe(true);
    expect(allowed(actor('township-admin', '469027101'), 'act', task)).toBe(false);
    expect(allowed(actor('inspector', '460105'), 'act', task)).toBe(false);
    expect(allowed(actor('supervisor', '37'), 'act', task)).toBe(false);
  });
});

describe('townships', () => {
  const foluo = actor('township-admin', '469027108');
  const wanchong = actor('township-admin', '469027101');
  const inFoluo = entityResource({ _id: 'E1', regionCode: '469027', townshipCode: '469027108' });
  const baseInFoluo = entityResource({ _id: 'E2', regionCode: '469027', townshipCode: '469027101', bases: [{ townshipCode: '469027108' }] });
  const countyOnly = entityResource({ _id: 'E3', regionCode: '469027' });

  it('a township sees the entities located in it (its own registration or a base there) and not its neighbour’s nor county-only ones', () => {
    expect(allowed(foluo, 'read', inFoluo)).toBe(true);
    expect(allowed(foluo, 'read', baseInFoluo)).toBe(true);
    expect(allowed(wanchong, 'read', inFoluo)).toBe(false);
    expect(allowed(foluo, 'read', countyOnly)).toBe(false);
  });

  it('the county still covers every township record; a township code outside the entity’s county is ignored', () => {
    expect(allowed(actor('county-admin', '469027'), 'read', inFoluo)).toBe(true);
    const stray = entityResource({ _id: 'E4', regionCode: '460105', townshipCode: '469027108' });
    expect(allowed(foluo, 'read', stray)).toBe(false);
    expect(allowed(actor('county-admin', '460105'), 'read', stray)).toBe(true);
  });

  it('a lot is located by the townships the lots read model gives it', () => {
    const lot = lotResource({ _id: 'L1', _v: 1, holder: { entityId: 'E1', regionCode: '469027', townshipCode: '469027108' }, townshipCodes: ['469027108'] });
    expect(allowed(foluo, 'read', lot)).toBe(true);
    expect(allowed(wanchong, 'read', lot)).toBe(false);
    expect(allowed(foluo, 'act', lot)).toBe(true);
    expect(allowed(actor('county-admin', '469027'), 'read', lot)).toBe(true);
  });
});
