import type { Role } from '../shared/actor';

/**
 * Every command and query has a permission (seed 004: role tree with inherited permissions).
 * A role's permissions are its own grants plus everything of the roles it inherits from.
 */
export const PERMISSIONS = [
  'trace.public',
  'entity.apply',
  'entity.read',
  'entity.update',
  'entity.review',
  'lot.create',
  'lot.read',
  'transfer.ship',
  'transfer.settle',
  'transfer.read',
  'market-entry.issue',
  'trace.chain',
  'search.read',
  'audit.read',
  'audit.export',
  'audit.seal',
  'account.create',
  'account.read',
  'admin.projections',
  'task.manage',
  'sample.record',
  'result.record',
  'warning.read',
  'warning.manage',
  'case.manage',
  'inspection.record',
  'fault.report',
  'fault.resolve',
  'risk-rule.manage',
  'notification.read',
  'incident.read',
  'incident.record',
  'incident.review',
  'recall.respond',
  'statistics.read',
  'data-quality.read',
  'data-quality.manage',
  // 产地溯源信息采集 (seed 003): collect and import, read (map, table, completeness), county review, contact lists.
  'origin.collect',
  'origin.read',
  'origin.review',
  'origin.contacts',
  // 附件 (issue 15 §6): upload a file to attach it to a record; read (download) a file of a record one may read.
  'attachment.upload',
  'attachment.read',
  // 12316 公众留言 / 投诉: the public submits (trace.public's routes are public); the county and above answer.
  'complaint.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

interface RoleNode {
  inherits: Role[];
  grants: Permission[];
  /** 名称 for the UI and the audit log. */
  label: string;
}

/** The role tree. Supervision levels inherit downwards: a province admin can do what a county admin can. */
export const ROLE_TREE: Record<Role, RoleNode> = {
  consumer: { inherits: [], grants: ['trace.public', 'entity.apply'], label: '公众' },
  producer: {
    inherits: ['consumer'],
    grants: ['entity.read', 'entity.update', 'lot.create', 'lot.read', 'transfer.ship', 'transfer.settle', 'transfer.read', 'market-entry.issue', 'notification.read', 'recall.respond', 'origin.collect', 'origin.read', 'attachment.upload', 'attachment.read'],
    label: '生产经营主体',
  },
  supervisor: {
    inherits: ['consumer'],
    grants: ['entity.read', 'lot.read', 'transfer.read', 'trace.chain', 'search.read', 'warning.read', 'audit.read', 'notification.read', 'incident.read', 'statistics.read', 'origin.read', 'data-quality.read', 'attachment.read'],
    label: '监管人员',
  },
  // 网格员 / 信息采集员 (seed 003 §六(三)): township and village staff collect origin records; an inspector account
  // created by the county for a third-party organisation is the county's authorisation of a 第三方 collector.
  // Uploads go to those who record something a file belongs to (a visit's photos, a report, a proof, case evidence).
  inspector: { inherits: ['supervisor'], grants: ['inspection.record', 'origin.collect', 'attachment.upload'], label: '巡查人员' },
  'township-admin': { inherits: ['inspector'], grants: ['account.read', 'origin.contacts'], label: '乡镇管理员' },
  'county-admin': {
    inherits: ['township-admin'],
    // task.manage from the county up: seed 002 lets county, city and province agencies publish 监测任务 (issue 15).
    grants: ['entity.review', 'account.create', 'warning.manage', 'fault.report', 'case.manage', 'incident.record', 'incident.review', 'origin.review', 'task.manage', 'complaint.manage'],
    label: '县级管理员',
  },
  'city-admin': { inherits: ['county-admin'], grants: [], label: '市级管理员' },
  'province-admin': { inherits: ['city-admin'], grants: [], label: '省级管理员' },
  'ministry-admin': {
    inherits: ['province-admin'],
    grants: ['risk-rule.manage', 'admin.projections', 'audit.seal', 'audit.export', 'fault.resolve', 'data-quality.manage'],
    label: '部级管理员',
  },
  lab: { inherits: ['consumer'], grants: ['lot.read', 'trace.chain', 'sample.record', 'result.record', 'task.manage', 'notification.read', 'attachment.upload', 'attachment.read'], label: '检测机构' },
  enforcement: { inherits: ['supervisor'], grants: ['case.manage', 'attachment.upload'], label: '执法机构' },
  auditor: { inherits: ['supervisor'], grants: ['audit.export'], label: '审计人员' },
  system: { inherits: [], grants: [...PERMISSIONS], label: '系统' },
};

const cache = new Map<Role, ReadonlySet<Permission>>();

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  const hit = cache.get(role);
  if (hit) return hit;
  const node = ROLE_TREE[role];
  const all = new Set<Permission>(node.grants);
  for (const parent of node.inherits) for (const p of permissionsOf(parent)) all.add(p);
  cache.set(role, all);
  return all;
}

export function can(role: Role, permission: Permission): boolean {
  return permissionsOf(role).has(permission);
}
