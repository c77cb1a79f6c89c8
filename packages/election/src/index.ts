export { ElectionTimer } from './election-timer.js';
export { isLogUpToDate, decideVote } from './vote-rules.js';
export type { VoteRequestFacts, VoteDecision } from './vote-rules.js';
export { VoteTally } from './vote-tally.js';
export type { TallyResult } from './vote-tally.js';
export { majority } from './majority.js';
export { QuorumActivity } from './quorum-activity.js';
export { LeaderLease } from './leader-lease.js';
export { LeadershipTransfer } from './leadership-transfer.js';
