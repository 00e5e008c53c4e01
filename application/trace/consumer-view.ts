import { regionName } from '../../domain/shared/region-codes';
import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';
import { traceChain } from './chain-query';
import { coarseCoordinate, isPrivatePerson, maskName } from './masking';

export interface PublicHolder {
  name: string;
  entityType: string | null;
  regionCode: string;
  regionName: string;
}

export interface ConsumerView {
  traceCode: string;
  product: string;
  productionDate: string;
  quantity: { amount: number; unit: string };
  /** normal | on-hold (不合格 / 风险预警) */
  status: 'normal' | 'on-hold';
  origin: {
    entity: PublicHolder;
    base: { name: string; regionCode: string; regionName: string; lat: number; lon: number };
    traceCode: string;
  };
  /** Origin first, this lot last: each hand-over with date and place. */
  chain: { traceCode: string; holder: PublicHolder; date: string; place: string; quantity: { amount: number; unit: string } }[];
  certificates: { certificateNo: string; market: { name: string; kind: string; regionCode: string }; issuedAt: string }[];
  verdicts: unknown[];
  warnings: unknown[];
}

/** What anyone holding the label sees: the chain back to the origin, masked. */
export async function consumerView(models: ReadModels, traceCode: string): Promise<ConsumerView | null> {
  const chain = await traceChain(models, traceCode, 'backward', 64);
  if (!chain) return null;
  const byCode = new Map(chain.lots.map((l) => [l._id, l]));
  const ordered: ReadDoc[] = [];
  for (let code: string | null = traceCode; code && byCode.has(code); code = (byCode.get(code)!.parentTraceCode as string | null) ?? null)
    ordered.unshift(byCode.get(code)!);
  const entityIds = [...new Set(ordered.map((l) => (l.holder as { entityId: string }).entityId))];
  const entities = new Map((await models.getMany('entities', entityIds)).map((e) => [e._id, e]));
  const holderOf = (lot: ReadDoc): PublicHolder => {
    const h = lot.holder as { entityId: string; name: string; regionCode: string };
    const type = (entities.get(h.entityId)?.entityType as string | undefined) ?? null;
    return {
      name: isPrivatePerson(type ?? undefined) ? maskName(h.name) : h.name,
      entityType: type,
      regionCode: h.regionCode,
      regionName: regionName(h.regionCode) ?? h.regionCode,
    };
  };
  const lot = ordered[ordered.length - 1]!;
  const origin = ordered[0]!;
  const base = origin.base as { name: string; regionCode: string; lat: number; lon: number };
  const originHolder = holderOf(origin);
  const privateOrigin = isPrivatePerson(originHolder.entityType ?? undefined);
  const holds = (lot.holds as unknown[]) ?? [];
  return {
    traceCode,
    product: lot.product as string,
    productionDate: lot.productionDate as string,
    quantity: { amount: (lot.quantity as { amount: number }).amount, unit: lot.unit as string },
    status: holds.length > 0 ? 'on-hold' : 'normal',
    origin: {
      entity: originHolder,
      base: {
        name: base.name,
        regionCode: base.regionCode,
        regionName: regionName(base.regionCode) ?? base.regionCode,
        lat: privateOrigin ? coarseCoordinate(base.lat) : base.lat,
        lon: privateOrigin ? coarseCoordinate(base.lon) : base.lon,
      },
      traceCode: origin._id,
    },
    chain: ordered.map((l) => {
      const holder = holderOf(l);
      return {
        traceCode: l._id,
        holder,
        date: l.createdAt as string,
        place: holder.regionName,
        quantity: { amount: (l.quantity as { amount: number }).amount, unit: l.unit as string },
      };
    }),
    certificates: ((lot.certificates as ConsumerView['certificates']) ?? []).map((c) => ({
      certificateNo: c.certificateNo,
      market: c.market,
      issuedAt: c.issuedAt,
    })),
    verdicts: (lot.verdicts as unknown[]) ?? [],
    warnings: holds,
  };
}
