import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, whether running from source (jest) or from dist/ (npm start). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}
