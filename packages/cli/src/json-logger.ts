/** JSON lines on stderr. Fields come from call sites that never pass payloads or secrets. */
import type { LogFields, Logger } from '@coffer/base';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export function jsonLogger(base: LogFields, minLevel: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
