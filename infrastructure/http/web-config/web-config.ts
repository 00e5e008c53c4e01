import { z } from 'zod';

/**
 * What the browser app needs to know about this installation, from the environment. Maps default to no
 * tiles at all (the bundled province layer only), so they work on a closed network; production sets a tile
 * server it is allowed to use, e.g. TILE_URL=https://tiles.example.cn/{z}/{x}/{y}.png.
 */
const WebEnv = z.object({
  TILE_URL: z
    .string()
    .refine((s) => /^https?:\/\//.test(s) && ['{z}', '{x}', '{y}'].every((p) => s.includes(p)), 'must be an http(s) URL template with {z}, {x} and {y}')
    .optional(),
  TILE_ATTRIBUTION: z.string().max(300).optional(),
  TILE_MAX_ZOOM: z.coerce.number().int().min(1).max(22).default(18),
});

export interface WebConfig {
  /** How the app signs in: a login form (tokens) or the development "act as" selector (dev-headers). */
  authMode: 'tokens' | 'dev-headers';
  /** Base of the label QR URLs (`{publicUrl}/t/{traceCode}`). */
  publicUrl: string;
  tiles: { url: string; attribution: string; maxZoom: number } | null;
}

export function webConfigFrom(env: NodeJS.ProcessEnv, authMode: WebConfig['authMode'], publicUrl: string): WebConfig {
  const parsed = WebEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const { TILE_URL, TILE_ATTRIBUTION, TILE_MAX_ZOOM } = parsed.data;
  return {
    authMode,
    publicUrl,
    tiles: TILE_URL ? { url: TILE_URL, attribution: TILE_ATTRIBUTION ?? '', maxZoom: TILE_MAX_ZOOM } : null,
  };
}
