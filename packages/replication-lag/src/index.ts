export { lagEntries, lastContactMs } from './lag.js';
export type { TimestampSample, TimestampLookup, EntryTimestamps, EntryTimestampFn, TimestampSource } from './timestamps.js';
export { lookupTimestamp, lookupSamples } from './timestamps.js';
export { AppendTimestampRing } from './timestamp-ring.js';
export type { TimeLag, TimeLagInput } from './time-lag.js';
export { timeLag, timeLagMs } from './time-lag.js';
export type {
  HealthThresholds,
  LeaderView,
  FollowerProgress,
  UnhealthyReason,
  UnhealthyReasonKind,
  FollowerHealth,
} from './health.js';
export { DEFAULT_HEALTH_THRESHOLDS, healthThresholds, assessFollower } from './health.js';
export type { ServerHealthInput, ClusterHealth, PeerProgressInput, PeerHealth, ClusterReport } from './cluster.js';
export { quorumSize, failureTolerance, summarizeCluster, assessCluster } from './cluster.js';
