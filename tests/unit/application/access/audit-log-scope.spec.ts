import { auditLogScope } from '../../../../application/access';
import type { Actor, Role } from '../../../../domain/shared/actor';

const actor = (role: Role, regionCode: string): Actor => ({ role, regionCode, orgId: `org-${role}-${regionCode}`, userId: `u-${role}-${regionCode}` });

/** The audit log's scope, decided by the access policy (not by the route): a region prefix, or the whole ledger. */
describe('access policy: the audit log', () => {
  it('given a national auditor, or the system, when it reads the audit log, then nothing narrows it', () => {
    expect(auditLogScope(actor('auditor', ''))).toEqual({});
    expect(auditLogScope(actor('system', '46'))).toEqual({});
  });

  it('given a provincial, a county and a township auditor, then each reads its own region subtree', () => {
    expect(auditLogScope(actor('auditor', '46'))).toEqual({ regionPrefix: '46' });
    expect(auditLogScope(actor('auditor', '469027'))).toEqual({ regionPrefix: '469027' });
    expect(auditLogScope(actor('supervisor', '469027101'))).toEqual({ regionPrefix: '469027101' });
  });
});
