import type { ConnectionOptions } from 'bullmq';

/**
 * redis://[user:password@]host[:port][/db] (or rediss:// for TLS) → the connection options BullMQ hands
 * to its bundled ioredis. `maxRetriesPerRequest: null` is what BullMQ workers require: their blocking
 * commands must wait through a Redis restart instead of failing after a few retries.
 */
export function redisConnectionOptions(url: string): ConnectionOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${parsed.protocol})`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new Error(`REDIS_URL: bad database number in ${parsed.pathname}`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
