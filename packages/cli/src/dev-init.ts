/**
 * `coffer dev`'s seal handling, over each node's HTTP gateway with @coffer/client, as a user would
 * do it by hand: on a new cluster, `sys/init` with one key share and threshold 1 (as `vault server
 * -dev`) and the key and root token saved to dev-keys.json; on a restart, the saved key. Then
 * every node is unsealed (seal state is per node). Order matters: the key file is written before
 * any node is unsealed, so a crash in between leaves a cluster that the next start can still open.
 */
import { cofferError, err, ok, type Result } from '@coffer/base';
import { CofferApiError, CofferClient } from '@coffer/client';
import { readDevKeys, writeDevKeys, type DevKeys } from './dev-keys.js';

export interface DevSealTarget {
  readonly id: string;
  /** http://127.0.0.1:P */
  readonly url: string;
}

export interface DevSealOptions {
  readonly nodes: readonly DevSealTarget[];
  /** Index into `nodes` of the elected leader (init goes there; any node would forward it). */
  readonly leaderIndex: number;
  readonly keysPath: string;
  readonly dataDir: string;
  readonly isCancelled: () => boolean;
  readonly timeoutMs: number;
}

export interface DevSealOutcome {
  readonly keys: DevKeys;
  /** True when this start initialized the cluster (a new data dir). */
  readonly isFresh: boolean;
}

const STOPPED = cofferError('unavailable', 'stopped before the cluster was unsealed');

export async function initAndUnseal(o: DevSealOptions): Promise<Result<DevSealOutcome>> {
  const deadline = performance.now() + o.timeoutMs;
  const clients = o.nodes.map((n) => new CofferClient({ address: n.url, env: {}, timeoutMs: 10_000 }));
  const leader = clients[o.leaderIndex];
  if (leader === undefined) return err(cofferError('internal', 'leader index out of range'));
  // The embedded gateway starts right after its node: wait until each one answers at all.
  for (const [i, c] of clients.entries()) {
    const up = await poll(deadline, o.isCancelled, async () => ((await c.sys.initStatus()) ? 'yes' : 'no'));
    if (up === undefined) return err(o.isCancelled() ? STOPPED : cofferError('timeout', `${o.nodes[i]?.id}'s HTTP API at ${o.nodes[i]?.url} did not answer in time; see its log`));
  }
  const stored = readDevKeys(o.keysPath);
  let keys: DevKeys | undefined;
  let isFresh = false;
  if (!(await leader.sys.initStatus())) {
    try {
      const init = await leader.sys.init({ secret_shares: 1, secret_threshold: 1 });
      const unsealKey = init.keys[0];
      if (unsealKey === undefined) return err(cofferError('internal', 'sys/init returned no key share'));
      if (init.root_token === '') return err(cofferError('internal', `the cluster was initialized but no root token was issued (${init.warnings?.join('; ') ?? 'no reason given'}); stop coffer dev, delete ${o.dataDir} and start again`));
      keys = { unsealKey, rootToken: init.root_token };
      writeDevKeys(o.keysPath, keys);
      isFresh = true;
    } catch (e: unknown) {
      // A leader that has not applied the init yet says "not initialized"; init itself knows better.
      if (!(e instanceof CofferApiError && e.status === 400 && e.errors.some((m) => /already initialized/i.test(m)))) return err(failure('initializing the cluster', e));
    }
  }
  if (keys === undefined) {
    const start = `the nodes in ${o.dataDir} are initialized, but ${o.keysPath}`;
    const what = `Without the unseal key it holds the data cannot be opened. Delete ${o.dataDir} to start over with an empty cluster (its data is lost), or put the file back.`;
    if (!stored.ok) return err(cofferError('invalid-request', `${start} ${stored.error.message}. ${what}`));
    if (stored.value === undefined) return err(cofferError('invalid-request', `${start} is missing. ${what}`));
    keys = stored.value;
  }
  for (const [i, c] of clients.entries()) {
    const id = o.nodes[i]?.id ?? `#${i}`;
    // A follower can unseal only once it has applied the cluster's seal configuration.
    const initialized = await poll(deadline, o.isCancelled, async () => ((await c.sys.initStatus()) ? true : undefined));
    if (initialized === undefined) return err(o.isCancelled() ? STOPPED : cofferError('timeout', `${id} did not learn of the initialization in time; see its log`));
    try {
      const s = (await c.sys.sealStatus()).sealed ? await c.sys.unseal(keys.unsealKey) : undefined;
      if (s?.sealed === true) return err(wrongKey(id, o, 'it is still sealed after the key'));
    } catch (e: unknown) {
      if (e instanceof CofferApiError && e.status === 400) return err(wrongKey(id, o, e.errors.join('; ')));
      return err(failure(`unsealing ${id}`, e));
    }
  }
  return ok({ keys, isFresh });
}

function wrongKey(id: string, o: DevSealOptions, why: string): ReturnType<typeof cofferError> {
  return cofferError('invalid-request', `the unseal key in ${o.keysPath} does not unseal ${id} (${why}): the file is damaged or belongs to another cluster. Delete ${o.dataDir} to start over.`);
}

function failure(what: string, e: unknown): ReturnType<typeof cofferError> {
  return cofferError('unavailable', `${what} failed: ${e instanceof Error ? e.message : String(e)}; see the node logs`);
}

/** Calls `probe` until it returns a value (errors count as "not yet"), the deadline passes or the run stops. */
async function poll<T>(deadlineMs: number, isCancelled: () => boolean, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    if (isCancelled()) return undefined;
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not up yet
    }
    if (performance.now() > deadlineMs) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
