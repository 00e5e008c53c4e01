import pino from 'pino';

/** One structured logger for the process (JSON lines; pipe through pino-pretty when reading by eye). */
export function createLogger(level: string) {
  return pino({ level, base: { app: 'suyuan' } });
}
export type Logger = ReturnType<typeof createLogger>;
