#!/usr/bin/env node
// Builds web/dist when it is missing or older than any source of the web app (npm run build:web builds always).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(web, 'dist', 'index.html');

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

const sources = ['src', 'build', 'index.html', 'vite.config.mts'].map((p) => path.join(web, p));
const stale = !fs.existsSync(built) || Math.max(...sources.map(newest)) > fs.statSync(built).mtimeMs;
if (stale) {
  process.stderr.write('building web/dist (vite build web)…\n');
  const vite = path.join(web, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', web, '--logLevel', 'warn'], { stdio: 'inherit', cwd: path.join(web, '..') });
}
