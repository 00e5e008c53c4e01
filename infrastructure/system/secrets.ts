import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Per-installation secrets kept in DATA_DIR/secrets.json (mode 0600), created on first start.
 * The trace-code secret signs the check segment of every trace code: changing it invalidates printed labels.
 */
export interface Secrets {
  traceCodeSecret: string;
}

export function loadOrCreateSecrets(dataDir: string, override?: { traceCodeSecret?: string }): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>;
  const secrets: Secrets = {
    traceCodeSecret: override?.traceCodeSecret ?? stored.traceCodeSecret ?? randomBytes(32).toString('hex'),
  };
  if (!stored.traceCodeSecret && !override?.traceCodeSecret) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...stored, ...secrets }, null, 2), { mode: 0o600 });
  }
  return secrets;
}
