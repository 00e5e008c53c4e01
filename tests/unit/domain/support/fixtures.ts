import { formatTraceCode } from '../../../../domain/lots/trace-code';
import type { LotBase } from '../../../../domain/lots/types';
import { creditCodeCheckChar } from '../../../../domain/registration/credit-code';
import { entitySegmentOfEid, generateEid } from '../../../../domain/registration/eid';
import type { Base } from '../../../../domain/registration/types';

export const SECRET = 'test-trace-secret';

export const FARM_EID = generateEid('110101', '7K3QX');
export const BUYER_EID = generateEid('110102', 'M4ZT9');

/** A credit code with a correct check character, built from 17 chosen characters. */
export function creditCode(first17 = '91110101MA01ABCD2'): string {
  return first17 + creditCodeCheckChar(first17);
}

export function traceCode(opts: { eid?: string; date?: string; sequence?: number; region?: string } = {}): string {
  return formatTraceCode(
    {
      regionCode: opts.region ?? '110101',
      productionDate: opts.date ?? '2026-03-09',
      entitySegment: entitySegmentOfEid(opts.eid ?? FARM_EID),
      sequence: opts.sequence ?? 1,
    },
    SECRET,
  );
}

export const BASE: Base = {
  baseId: 'base-1',
  name: '东城蔬菜基地',
  regionCode: '110101',
  address: '北京市东城区某村',
  lat: 39.928353123456,
  lon: 116.416357987654,
  areaMu: 12.5,
  products: ['豇豆'],
};

export const LOT_BASE: LotBase = { baseId: 'base-1', name: '东城蔬菜基地', regionCode: '110101', lat: 39.928353, lon: 116.416357 };
