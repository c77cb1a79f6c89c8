/**
 * The catalogue of metric and span names. Every metric the project emits is declared here, so a
 * dashboard or an alert can be written against this file alone. Units are in the name (`_ms`,
 * `_bytes`, `_entries`) as Prometheus expects.
 */
export const METRICS = {
  raftTerm: 'coffer_raft_term',
  /** 0 follower, 1 pre-candidate, 2 candidate, 3 leader (see ROLE_VALUES). */
  raftRole: 'coffer_raft_role',
  raftLeaderChanges: 'coffer_raft_leader_changes_total',
  raftCommitIndex: 'coffer_raft_commit_index',
  raftAppliedIndex: 'coffer_raft_applied_index',
  /** Time of one persist step (one synced storage batch). */
  storageAppendMs: 'coffer_storage_append_ms',
  storageAppendEntries: 'coffer_storage_append_entries',
  proposalsInFlight: 'coffer_proposals_in_flight',
  proposalsTotal: 'coffer_proposals_total',
  readsTotal: 'coffer_reads_total',
  followerLagEntries: 'coffer_follower_lag_entries',
  followerLagMs: 'coffer_follower_lag_ms',
  snapshotsCreated: 'coffer_snapshots_created_total',
  snapshotsInstalled: 'coffer_snapshots_installed_total',
  snapshotBytes: 'coffer_snapshot_bytes',
  readyRoundMs: 'coffer_ready_round_ms',
  eventLoopDelayMs: 'coffer_event_loop_delay_ms',
  ticksCaughtUp: 'coffer_ticks_caught_up_total',
  /** 1 while this node's barrier is sealed, 0 once unsealed. */
  sealed: 'coffer_sealed',
  /** Gateway: one per HTTP request that reached the backend; `operation`, `status` (2xx..5xx or an error kind). */
  httpRequests: 'coffer_http_requests_total',
  httpRequestMs: 'coffer_http_request_ms',
  /** Node: one per Handle RPC served; `operation`, `status`, `forwarded` (true on the leader for a standby's call). */
  handleRequests: 'coffer_handle_requests_total',
  handleRequestMs: 'coffer_handle_request_ms',
  /** Standby -> leader Handle forwards; `result` = ok or an error kind. */
  forwardedRequests: 'coffer_forwarded_requests_total',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

export const SPANS = {
  /** Gateway, SERVER: one HTTP request, from the backend call to its answer. */
  httpRequest: 'coffer.http.request',
  /** Node, SERVER: one Handle RPC (continues the caller's trace from the gRPC metadata). */
  handle: 'coffer.node.handle',
  /** Standby, CLIENT: a Handle forwarded to the leader. */
  forward: 'coffer.node.forward',
  /** Leader: one proposed entry, from propose to apply (events: persisted, committed, applied). */
  commit: 'coffer.node.commit',
  propose: 'coffer.node.propose',
  forwardPropose: 'coffer.node.forward_propose',
  read: 'coffer.node.read',
  readyRound: 'coffer.node.ready_round',
  snapshotCreate: 'coffer.node.snapshot_create',
  snapshotInstall: 'coffer.node.snapshot_install',
} as const;

export type SpanName = (typeof SPANS)[keyof typeof SPANS];

/** Attribute keys; values never hold secret material. */
export const ATTRS = {
  nodeId: 'coffer.node_id',
  /** read | create | update | patch | delete | list. */
  operation: 'coffer.operation',
  /** A path class, never the full path (see `routeClass`). */
  route: 'coffer.route',
  status: 'http.response.status_code',
  errorKind: 'coffer.error_kind',
  isForwarded: 'coffer.forwarded',
  logIndex: 'coffer.log_index',
  term: 'coffer.term',
  leader: 'coffer.leader_id',
  peer: 'peer',
  result: 'result',
  kind: 'kind',
} as const;

export const ROLE_VALUES = { follower: 0, 'pre-candidate': 1, candidate: 2, leader: 3 } as const;

/** Histogram buckets in milliseconds for sub-millisecond fsyncs up to multi-second stalls. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
];
