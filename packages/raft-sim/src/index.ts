export type { SimOptions, SimResult } from './simulation.js';
export { runSimulation } from './simulation.js';
export type { FaultKind, FaultPlan } from './faults.js';
export { FAULT_KINDS, isFaultKind } from './faults.js';
export type { InvariantName, Violation } from './invariants.js';
export type { SweepOptions, SweepReport } from './sweep.js';
export { runSweep, replayCommand } from './sweep.js';
