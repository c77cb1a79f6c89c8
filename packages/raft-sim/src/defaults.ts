/** Events in the faulty phase of one seed: the CLI's default and the tests' sweep size. */
export const DEFAULT_STEPS = 6000;
