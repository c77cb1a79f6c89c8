/**
 * `coffer dr status` as text: the mode, state and connection, and for a secondary its lag in words
 * and numbers ("12 entries, 340 ms behind the primary (caught up < 1 s)"); for a primary the table
 * of its secondaries. Pure: builds strings from the status and the caller's clock.
 */
import type { DrPrimaryStatus, DrSecondaryStatus, DrStatus } from '@coffer/client';
import { headedTable, humanDuration, keyValueTable } from './format.js';

/** 340 ms, 5.2 s, 2m5s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  return humanDuration(ms / 1000);
}

/** "3 s ago" from an ISO time, or the ISO text itself when it does not parse. */
function since(iso: string, nowMs: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${iso} (${formatMs(Math.max(0, nowMs - t))} ago)`;
}

const entries = (n: number): string => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/** How far behind the primary, in words a person at 3 a.m. reads at a glance. */
function lagWords(ms: number): string {
  if (ms < 1000) return 'caught up < 1 s';
  if (ms < 10_000) return 'a few seconds behind';
  return 'falling behind';
}

/** The secondary's lag line (without the "lag" key). */
export function secondaryLag(s: DrSecondaryStatus, nowMs: number): string {
  const heard = s.primaries[0]?.last_heartbeat ?? '';
  if (s.lag_ms === null) {
    if (s.connection_state !== 'ready') {
      return heard === '' ? 'unknown (never connected to the primary)' : `unknown (not connected since ${since(heard, nowMs)})`;
    }
    return `${entries(s.lag_entries)} behind the primary, time unknown`;
  }
  if (s.lag_ms_is_lower_bound) {
    return `${entries(s.lag_entries)}, at least ${formatMs(s.lag_ms)} behind the primary (not heard from it since ${heard === '' ? 'ever' : since(heard, nowMs)})`;
  }
  if (s.lag_entries === 0 && s.lag_ms === 0) return '0 entries, 0 ms behind the primary (caught up)';
  return `${entries(s.lag_entries)}, ${formatMs(s.lag_ms)} behind the primary (${lagWords(s.lag_ms)})`;
}

function secondaryTable(s: DrSecondaryStatus, nowMs: number): string {
  const rows: [string, unknown][] = [
    ['mode', 'secondary'],
    ['cluster_id', s.cluster_id],
    ['secondary_id', s.secondary_id === '' ? 'n/a' : s.secondary_id],
    ['state', s.state],
    ['connection', s.connection_state],
    ['epoch', s.epoch],
    ['primary_cluster_addr', s.primary_cluster_addr === '' ? 'none (following no primary)' : s.primary_cluster_addr],
    ['last_remote_wal', s.last_remote_wal],
    ['primary_last_wal', s.primary_last_wal],
    ['lag', secondaryLag(s, nowMs)],
  ];
  if (s.last_error !== undefined && s.last_error !== '') rows.push(['last_error', s.last_error]);
  return keyValueTable(rows);
}

function primaryTable(s: DrPrimaryStatus, nowMs: number): string {
  const connected = s.secondaries.filter((x) => x.connection_status === 'connected').length;
  const rows: [string, unknown][] = [
    ['mode', 'primary'],
    ['cluster_id', s.cluster_id],
    ['state', s.state],
    ['connection', `${connected} of ${s.secondaries.length} secondaries connected`],
    ['epoch', s.epoch],
    ['last_wal', s.last_wal],
  ];
  if (s.fenced_by !== undefined) {
    rows.push(['fenced_by', `cluster ${s.fenced_by.cluster_id} at epoch ${s.fenced_by.epoch}: client writes are refused; make this cluster its secondary with coffer dr secondary update-primary`]);
  }
  const table = keyValueTable(rows);
  if (s.secondaries.length === 0) return `${table}\n\nNo secondaries: create an activation token with coffer dr primary secondary-token <id>`;
  const secs = headedTable(
    ['ID', 'State', 'Connection', 'Last Heartbeat', 'Last Sent Index'],
    s.secondaries.map((x) => [x.node_id, x.state, x.connection_status, x.last_heartbeat === '' ? 'never' : since(x.last_heartbeat, nowMs), String(x.last_sent_index)]),
  );
  return `${table}\n\nSecondaries:\n${secs}`;
}

export function drStatusTable(s: DrStatus, nowMs: number): string {
  switch (s.mode) {
    case 'disabled':
      return `${keyValueTable([['mode', 'disabled'], ['epoch', s.epoch]])}\n\nDR replication is not enabled on this cluster (coffer dr primary enable, or coffer dr secondary enable <token>)`;
    case 'primary':
      return primaryTable(s, nowMs);
    case 'secondary':
      return secondaryTable(s, nowMs);
  }
}
