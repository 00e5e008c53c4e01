import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The interop reference files (GS1 schema, hash vectors, FSMA columns) live beside the repository in
 * `../shared/interop`, never copied in. A suite that needs them says loudly when they are absent.
 */
export const INTEROP_DIR = process.env.INTEROP_DIR ?? path.resolve(__dirname, '../../../../..', '..', 'shared/interop');

export function interopAvailable(suite: string): boolean {
  if (fs.existsSync(INTEROP_DIR)) return true;
  console.warn(`\n!!! SKIPPED ${suite}: interop reference files not found at ${INTEROP_DIR} (set INTEROP_DIR) !!!\n`);
  return false;
}

export function interopFile(relative: string): string {
  return path.join(INTEROP_DIR, relative);
}
