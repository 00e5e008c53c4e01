import { z } from 'zod';
import { NonEmpty } from '../shared-schemas';

/** Field shapes shared by the quality-and-safety request bodies (the domain re-checks every rule). */
export const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time (e.g. 2026-03-10T09:30:00+08:00)' });
export const OrgRef = z.object({ orgId: NonEmpty(100), name: NonEmpty(200) });
/** mg/kg, μg/kg (also ug/kg, µg/kg, ppm, ppb), g/kg, mg/L, μg/L — checked by the domain, which names the unit field. */
export const ConcentrationUnit = NonEmpty(16);
export const Concentration = z.object({ value: z.number().finite().min(0, 'must be ≥ 0'), unit: ConcentrationUnit });
export const PositiveConcentration = z.object({ value: z.number().finite().positive('must be greater than 0'), unit: ConcentrationUnit });
export const TextList = (max = 100) => z.array(NonEmpty(max)).max(100_000);
