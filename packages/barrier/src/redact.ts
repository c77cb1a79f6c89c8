/**
 * Key-holding objects print as `[redacted <what>]` through JSON.stringify, util.inspect and
 * console.log, so no log line or error payload can carry their bytes by accident.
 */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export function redacted(what: string): string {
  return `[redacted ${what}]`;
}
