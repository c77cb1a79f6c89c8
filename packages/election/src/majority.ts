/** Smallest number of voters that forms a quorum of n. An empty configuration has no quorum. */
export function majority(n: number): number {
  return n === 0 ? Number.POSITIVE_INFINITY : Math.floor(n / 2) + 1;
}
