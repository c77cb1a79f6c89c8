/** Wall/monotonic time port for the I/O shells. Pure packages take `nowMs` as an argument instead. */
export interface Clock {
  /** Milliseconds since the Unix epoch (wall clock). */
  nowMs(): number;
  /** Monotonic milliseconds, for measuring durations. */
  monotonicMs(): number;
}
