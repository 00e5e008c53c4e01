import { z } from 'zod';

/** Field shapes shared by several request bodies. Business rules (valid region, limits) live in the domain. */
export const RegionCode = z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 region code');
export const NonEmpty = (max = 200) => z.string().trim().min(1, 'must not be empty').max(max);
export const CommandId = z.string().min(8).max(128).optional();
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
export const Latitude = z.number().min(-90).max(90);
export const Longitude = z.number().min(-180).max(180);
export const Unit = z.enum(['g', 'kg', 't', 'jin', 'piece', 'head', 'box', 'crate']);
export const Quantity = z.object({
  amount: z.number().positive('must be greater than 0').finite(),
  unit: Unit,
});
export const Phone = z.string().regex(/^[0-9+\-() ]{5,20}$/, 'must be a phone number');
