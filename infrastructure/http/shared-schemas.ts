import { z } from 'zod';

import { textProblem } from './validation/text';

/** Field shapes shared by several request bodies. Business rules (valid region, limits) live in the domain. */
export const RegionCode = z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 region code');

/**
 * Every free-text field (names, addresses, notes, ids typed by people, search words): it goes into the
 * ledger for good and onto labels, so control characters, bidi overrides, lone surrogates and
 * zero-width-only strings are refused (validation/text.ts), and the text is stored NFC-normalised and
 * trimmed, so that the same name typed on two keyboards is the same name. Lengths count after that.
 */
export const Text = (max = 200, min = 0) =>
  z
    .string()
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .normalize('NFC')
    .trim()
    .min(min, 'must not be empty')
    .max(max);
export const NonEmpty = (max = 200) => Text(max, 1);
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
