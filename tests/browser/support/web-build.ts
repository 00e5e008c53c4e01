import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The browser tests run the built app (web/dist), as `npm start` serves it. On a fresh clone it is not built
 * yet, and during development it may be older than the sources: web/scripts/build-if-stale.mjs rebuilds then.
 * flock serialises the jest workers, so two suites never build into the same folder at once.
 */
export function ensureWebBuilt(): void {
  execFileSync('flock', [path.join(ROOT, 'web', '.build.lock'), process.execPath, path.join(ROOT, 'web', 'scripts', 'build-if-stale.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 180_000,
  });
}
