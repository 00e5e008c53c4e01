#!/usr/bin/env node
'use strict';
/** `npx suyuan-verify bundle.json [--key ledger.pem] [--witness w.pem ...] [--min-tree-size N]`: exit 0 when the bundle verifies, 1 naming the first problem. */
const fs = require('node:fs');
const { verifyBundle } = require('./verify');

const args = process.argv.slice(2);
const witnesses = [];
let key;
let file;
let minTreeSize;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--witness') witnesses.push(fs.readFileSync(args[++i], 'utf8'));
  else if (args[i] === '--key') key = fs.readFileSync(args[++i], 'utf8');
  // The newest tree size known from elsewhere (a witness's latest cosigned head): an older head is a rollback.
  else if (args[i] === '--min-tree-size') minTreeSize = Number(args[++i]);
  else file = args[i];
}
if (!file) {
  process.stderr.write('usage: suyuan-verify <bundle.json> [--key ledger.pem] [--witness witness.pem ...] [--min-tree-size N]\n');
  process.exit(2);
}
let bundle;
try {
  bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (err) {
  process.stdout.write(`PROBLEM malformed: ${err.message}\n`);
  process.exit(1);
}
const verdict = verifyBundle(bundle, { witnesses, publicKeyPem: key, ...(minTreeSize !== undefined ? { minTreeSize } : {}) });
process.stdout.write((verdict.ok ? 'OK: ' : '') + verdict.message + '\n');
process.exit(verdict.ok ? 0 : 1);
