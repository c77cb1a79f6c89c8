/**
 * The operator endpoints of the logical front (Vault's sys/step-down, sys/metrics and
 * sys/storage/raft/*), reached on an initialized, unsealed node. Each checks its method and token
 * here (on the node that received the call), then runs where Vault runs it:
 *
 * | path                                  | method      | token | where                      |
 * |---------------------------------------|-------------|-------|----------------------------|
 * | sys/step-down                         | PUT/POST    | root  | leader (standby forwards)  |
 * | sys/storage/raft/configuration        | GET         | root  | leader                     |
 * | sys/storage/raft/remove-peer          | PUT/POST    | root  | leader                     |
 * | sys/storage/raft/autopilot/state      | GET         | root  | leader                     |
 * | sys/storage/raft/snapshot             | GET / POST  | root  | leader (sys-snapshot.ts)   |
 * | sys/storage/raft/snapshot-force       | POST        | root  | leader                     |
 * | sys/metrics                           | GET         | any   | this node (its own metrics)|
 *
 * (sys/storage/raft/join runs on the joining node before init: sys-join.ts.) Forwarding keeps
 * the request id, so a restore retried on a new leader applies at most once.
 */
import { cofferError } from '@coffer/base';
import type { LeaderResult, LogicalService } from './logical-service.js';
import type { HandleRequest } from './ports.js';
import { autopilotState, raftConfiguration, removePeer, stepDown } from './sys-raft.js';
import { snapshotRestore, snapshotSave } from './sys-snapshot.js';
import { errorResponse } from './sys-local.js';

type Route = { readonly methods: 'read' | 'write' | 'read-write'; readonly isRootOnly: boolean; readonly run: (svc: LogicalService, req: HandleRequest) => Promise<LeaderResult>; readonly isLocal?: boolean };

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['sys/step-down', { methods: 'write', isRootOnly: true, run: stepDown }],
  ['sys/storage/raft/configuration', { methods: 'read', isRootOnly: true, run: raftConfiguration }],
  ['sys/storage/raft/remove-peer', { methods: 'write', isRootOnly: true, run: removePeer }],
  ['sys/storage/raft/autopilot/state', { methods: 'read', isRootOnly: true, run: autopilotState }],
  ['sys/storage/raft/snapshot', { methods: 'read-write', isRootOnly: true, run: (svc, req) => (req.operation === 'read' ? snapshotSave(svc, req) : snapshotRestore(svc, req, false)) }],
  ['sys/storage/raft/snapshot-force', { methods: 'write', isRootOnly: true, run: (svc, req) => snapshotRestore(svc, req, true) }],
  ['sys/metrics', { methods: 'read', isRootOnly: false, run: metrics, isLocal: true }],
]);

/** Undefined when `path` is not an operator endpoint (the caller goes on to the executor). */
export function routeOperatorSys(svc: LogicalService, req: HandleRequest, path: string, isForwarded: boolean): Promise<LeaderResult> | undefined {
  const route = ROUTES.get(path);
  if (route === undefined) return undefined;
  return (async (): Promise<LeaderResult> => {
    const isRead = req.operation === 'read';
    const isWrite = req.operation === 'update' || req.operation === 'create';
    const allowed = route.methods === 'read' ? isRead : route.methods === 'write' ? isWrite : isRead || isWrite;
    if (!allowed) {
      const expected = route.methods === 'read' ? 'GET' : route.methods === 'write' ? 'PUT or POST' : 'GET, PUT or POST';
      return { ok: true, value: errorResponse(405, `unsupported operation on ${path}: use ${expected}`) };
    }
    const denied = await svc.requireToken(req, route.isRootOnly);
    if (denied !== undefined) return { ok: true, value: denied };
    if (route.isLocal === true) return route.run(svc, req);
    return svc.onLeader(req, isForwarded, () => route.run(svc, req));
  })();
}

/** GET sys/metrics[?format=prometheus]: this node's metrics, from the telemetry dependency. */
async function metrics(svc: LogicalService, req: HandleRequest): Promise<LeaderResult> {
  const source = svc.deps.metrics;
  if (source === undefined) return svc.fail(cofferError('not-found', 'sys/metrics: telemetry is not configured on this node'));
  const f = req.query['format'];
  if (f !== undefined && f !== '' && f !== 'prometheus') return svc.badRequest(`unknown format "${f.slice(0, 32)}": use format=prometheus, or no format for JSON`);
  const format = f === 'prometheus' ? 'prometheus' : 'json';
  try {
    const m = await source(format);
    return { ok: true, value: { status: 200, raw: { contentType: m.contentType, body: m.body } } };
  } catch (e: unknown) {
    svc.deps.logger.error('metrics could not be collected', { error: e instanceof Error ? e.name : typeof e });
    return svc.fail(cofferError('internal', 'metrics could not be collected'));
  }
}
