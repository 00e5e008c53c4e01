import type { CommandBus } from '@nestjs/cqrs';
import { systemCommandId } from '../../application/ledger/idempotency';
import type { CommandMeta } from '../../application/ledger/ledger';
import type { CommandOutcome } from '../../application/ledger/run-command';
import { IssueMarketEntryCommand } from '../../application/lots/issue-market-entry';
import { CreateLotCommand } from '../../application/lots/create-lot';
import { ApplyForRegistrationCommand } from '../../application/registration/apply-for-registration';
import { ApproveRegistrationCommand, RejectRegistrationCommand } from '../../application/registration/review-registration';
import { ShipCommand } from '../../application/transfers/ship';
import { ConfirmTransferCommand, RejectTransferCommand } from '../../application/transfers/settle';
import { creditCodeCheckChar } from '../../domain/registration';
import { ChangePasswordCommand, CreateAccountCommand } from '../../application/accounts/accounts';
import type { Approval } from '../../application/registration/review-registration';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { Actor } from '../../domain/shared/actor';
import { DEMO_ENTITIES, DEMO_ROUTES } from './demo-dataset';
import { HISTORY_MONTHS, loadDemoHistory, type HistorySummary } from './demo-history';
import { loadQualityDemo, type QualityDemoSummary } from './quality-demo';

export interface DemoSummary {
  entities: number;
  lots: number;
  transfers: number;
  /** A lot at the end of a multi-hop chain — the best one to try first. */
  showcaseTraceCode: string;
  originTraceCode: string;
  /** The regulator's side: a monitoring task whose failed 豇豆 sample put lots on hold. */
  quality: QualityDemoSummary;
  /** Back-dated trade of the months before this one (demo-history.ts), for trends, 同比 and 环比. */
  history: HistorySummary;
  /** Accounts to try the platform with, all with the demo password (printed at start; demo only). */
  accounts: { username: string; role: string; name: string }[];
  password: string;
}

export const DEMO_PASSWORD = 'Suyuan-Demo-2026';
const DEMO_PRODUCERS = ['ledong-coop', 'haikou-wholesale', 'guangzhou-jiangnan', 'qixia-apple'];
const DEMO_STAFF = [
  { username: 'demo-hainan', displayName: '海南省农业农村厅', role: 'province-admin' as const, regionCode: '46', orgName: '海南省农业农村厅' },
  { username: 'demo-ledong', displayName: '乐东县农业农村局', role: 'county-admin' as const, regionCode: '469027', orgName: '乐东县农业农村局' },
  { username: 'demo-shandong', displayName: '山东省农业农村厅', role: 'province-admin' as const, regionCode: '37', orgName: '山东省农业农村厅' },
  { username: 'demo-auditor', displayName: '部级审计', role: 'auditor' as const, regionCode: '', orgName: '农业农村部' },
  { username: 'demo-lab', displayName: '海南省农产品质量安全检测中心', role: 'lab' as const, regionCode: '46', orgName: '海南省农产品质量安全检测中心' },
];

/** 执法机构: the provincial enforcement corps, whose region holds the case the failed 文昌 sample opens. */
const LATER_STAFF = [{ username: 'demo-enforcement', displayName: '海南省农业综合行政执法总队', role: 'enforcement' as const, regionCode: '46', orgName: '海南省农业综合行政执法总队' }];
/** 网格员 / 信息采集员 of 抱由镇 (乐东): collects origin records (decision 0016); demo-ledong reviews them. After the history, for the same reason. */
const ORIGIN_STAFF = [{ username: 'demo-baoyou', displayName: '抱由镇农业服务中心', role: 'township-admin' as const, regionCode: '469027100', orgName: '乐东县抱由镇人民政府' }];

const county = (regionCode: string): Actor => ({ userId: `demo-reviewer-${regionCode}`, orgId: `county-${regionCode}`, role: 'county-admin', regionCode });
const producer = (entityId: string): Actor => ({ userId: `demo-${entityId}`, orgId: entityId, role: 'producer' });

/**
 * Loads the demo through the command bus — the same deciders, validation and events as real traffic —
 * with deterministic command ids, so a second run over the same ledger is a no-op.
 */
export async function loadDemoData(bus: CommandBus, now: Date): Promise<DemoSummary> {
  let n = 0;
  const meta = (actor: Actor, occurredAt?: Date): CommandMeta => ({
    commandId: systemCommandId(`demo-${String(++n).padStart(4, '0')}`),
    actor,
    correlationId: 'demo-data',
    ...(occurredAt ? { occurredAt } : {}),
  });
  const run = async <R>(command: object): Promise<R> => ((await bus.execute(command as never)) as CommandOutcome<R>).result;

  const demoAccounts: DemoSummary['accounts'] = [];
  for (const a of DEMO_STAFF) {
    await run(new CreateAccountCommand({ ...a, password: DEMO_PASSWORD, orgId: `org-${a.username}` }, meta(SYSTEM_ACTOR)));
    demoAccounts.push({ username: a.username, role: a.role, name: a.displayName });
  }
  const entityIds = new Map<string, string>();
  const eids = new Map<string, string>();
  for (const [i, e] of DEMO_ENTITIES.entries()) {
    // Registered over the weeks before the history starts (the pending and the rejected applicant are today's),
    // so the registration statistics have a past too. Business time only: the review itself is recorded now.
    const registeredAt = e.key === 'pending-applicant' || e.key === 'rejected-applicant' ? undefined : new Date(now.getTime() - (HISTORY_MONTHS * 31 + 40 - i) * 86_400_000);
    const creditCode = e.credit17 ? withCheck(e.credit17.padEnd(17, '0')) : undefined;
    const { entityId } = await run<{ entityId: string }>(
      new ApplyForRegistrationCommand(
        {
          name: e.name,
          entityType: e.entityType,
          regionCode: e.regionCode,
          address: e.address,
          legalRepresentative: e.legalRepresentative,
          contactPhone: e.contactPhone,
          ...(creditCode ? { creditCode } : {}),
          products: e.products,
          bases: e.bases,
        },
        meta({ userId: `demo-applicant-${e.key}`, orgId: 'applicant', role: 'producer' }, registeredAt),
      ),
    );
    entityIds.set(e.key, entityId);
    if (e.key === 'pending-applicant') continue;
    if (e.key === 'rejected-applicant') {
      await run(new RejectRegistrationCommand({ entityId, reason: '营业执照经营范围不含农产品生产，材料不全' }, meta(county(e.regionCode))));
      continue;
    }
    const approval = await run<Approval>(
      new ApproveRegistrationCommand({ entityId }, meta(county(e.regionCode), registeredAt && new Date(registeredAt.getTime() + 2 * 86_400_000))),
    );
    eids.set(e.key, approval.eid);
    // A few producers get the demo password, so their side of the platform can be tried.
    if (DEMO_PRODUCERS.includes(e.key)) {
      // The meta is taken even when the password was set by an earlier run, to keep command ids stable.
      const changeMeta = meta(producer(entityId));
      if (approval.account.initialPassword)
        await run(new ChangePasswordCommand({ accountId: approval.account.accountId, currentPassword: approval.account.initialPassword, newPassword: DEMO_PASSWORD }, changeMeta));
      demoAccounts.push({ username: approval.eid, role: 'producer', name: e.name });
    }
  }

  let lots = 0;
  let transfers = 0;
  let showcase = '';
  let firstOrigin = '';
  const originCodes = new Map<string, string>();
  for (const route of DEMO_ROUTES) {
    const originId = entityIds.get(route.origin)!;
    const productionDate = new Date(now.getTime() - route.daysAgo * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const { traceCode } = await run<{ traceCode: string }>(
      new CreateLotCommand(
        { entityId: originId, baseId: `B${route.base + 1}`, product: route.product, quantity: route.quantity, productionDate },
        meta(producer(originId)),
      ),
    );
    lots++;
    firstOrigin ||= traceCode;
    originCodes.set(route.origin, traceCode);
    let level: { traceCode: string; holder: string }[] = [{ traceCode, holder: route.origin }];
    for (const hop of route.hops) {
      const next: typeof level = [];
      for (const [j, shipment] of hop.entries()) {
        const from = level[j] ?? level[0]!;
        const fromId = entityIds.get(from.holder)!;
        const quantity = { amount: shipment.amount, unit: route.quantity.unit };
        if ('unregistered' in shipment) {
          await run(new ShipCommand({ fromTraceCode: from.traceCode, quantity, to: { kind: 'unregistered', ...shipment.unregistered } }, meta(producer(fromId))));
          transfers++;
          continue;
        }
        const { transferId } = await run<{ transferId: string }>(
          new ShipCommand({ fromTraceCode: from.traceCode, quantity, to: { kind: 'registered', eid: eids.get(shipment.to)! } }, meta(producer(fromId))),
        );
        transfers++;
        const toId = entityIds.get(shipment.to)!;
        if (shipment.reject) {
          await run(new RejectTransferCommand({ transferId, reason: '到货抽检叶片发黄，拒收' }, meta(producer(toId))));
          continue;
        }
        const { childTraceCode } = await run<{ childTraceCode: string }>(new ConfirmTransferCommand({ transferId }, meta(producer(toId))));
        lots++;
        next.push({ traceCode: childTraceCode, holder: shipment.to });
      }
      if (next.length) level = next;
    }
    if (route.marketEntry) {
      const holderLot = level[0]!;
      const { amount, ...market } = route.marketEntry;
      await run(
        new IssueMarketEntryCommand(
          { traceCode: holderLot.traceCode, market, quantity: { amount, unit: route.quantity.unit } },
          meta(producer(entityIds.get(holderLot.holder)!)),
        ),
      );
    }
    if (!showcase && route.hops.length >= 3) showcase = level[level.length - 1]!.traceCode;
  }
  const quality = await loadQualityDemo(run, meta, now, { passing: originCodes.get('sanya-farm')!, failing: originCodes.get('wenchang-coop')! });
  // Created after everything else, so the command ids of a demo loaded before this account existed stay the same.
  for (const a of LATER_STAFF) {
    await run(new CreateAccountCommand({ ...a, password: DEMO_PASSWORD, orgId: `org-${a.username}` }, meta(SYSTEM_ACTOR)));
    demoAccounts.push({ username: a.username, role: a.role, name: a.displayName });
  }
  const history = await loadDemoHistory({ run, meta, now, entityIds, eids, producer });
  for (const a of ORIGIN_STAFF) {
    await run(new CreateAccountCommand({ ...a, password: DEMO_PASSWORD, orgId: `org-${a.username}` }, meta(SYSTEM_ACTOR)));
    demoAccounts.push({ username: a.username, role: a.role, name: a.displayName });
  }
  return {
    entities: DEMO_ENTITIES.length,
    lots: lots + history.lots,
    transfers: transfers + history.transfers,
    showcaseTraceCode: showcase || firstOrigin,
    originTraceCode: firstOrigin,
    quality,
    history,
    accounts: demoAccounts,
    password: DEMO_PASSWORD,
  };
}

function withCheck(first17: string): string {
  return first17 + (creditCodeCheckChar(first17) ?? '0');
}
