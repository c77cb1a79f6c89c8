/** Thrown when an invariant is broken. Never caught to carry on: it means a bug. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Crashes loudly when an invariant does not hold. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Exhaustiveness guard for discriminated unions: a new member that is not handled fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
