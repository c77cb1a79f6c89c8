/**
 * A sequential specification, as Porcupine models one: an initial state and a step function
 * that says whether an op with this input could have produced this output from that state.
 * States must be immutable values; `stateKey` turns one into a string for the memo table.
 */
export interface Model<State, Input, Output> {
  readonly init: State;
  step(state: State, input: Input, output: Output): { readonly ok: boolean; readonly state: State };
  stateKey(state: State): string;
  /** A short human description of one op, for violation details. */
  describe(input: Input, output: Output): string;
}

export type RegisterInput = { readonly kind: 'put'; readonly value: string | null } | { readonly kind: 'get' };
/** What a get returned; a put's output is ignored. */
export type RegisterOutput = string | null;

/** One register (one key): a put always succeeds and sets the value; a get must read the current value. */
export const registerModel: Model<string | null, RegisterInput, RegisterOutput> = {
  init: null,
  step(state, input, output) {
    if (input.kind === 'put') return { ok: true, state: input.value };
    return { ok: state === output, state };
  },
  stateKey: (state) => (state === null ? '-' : `=${state}`),
  describe(input, output) {
    return input.kind === 'put' ? `put ${show(input.value)}` : `get -> ${show(output)}`;
  },
};

function show(v: string | null): string {
  if (v === null) return 'absent';
  return v.length > 24 ? JSON.stringify(`${v.slice(0, 21)}...`) : JSON.stringify(v);
}
