/**
 * The end-to-end DR drill (issue 7), shared by test/dr/dr-drill.test.ts (short load, asserts) and
 * scripts/dr-drill.ts (longer load, prints the figures). Two real 3-node clusters on loopback:
 *
 *  1. P and S start; bad activation tokens (malformed, expired, P's own) leave S untouched.
 *  2. P enables DR, S enables as its secondary (wipe, snapshot bootstrap, unseal with P's keys).
 *  3. Steady writes on P; S's lag sampled; a step-down on each side while streaming.
 *  4. S offline while P compacts past it: S restarts, bootstraps from a snapshot, catches up.
 *  5. Promote without a token / with a wrong one; an operation token from wrong shares: refused.
 *  6. SIGKILL every P node under load; an S node restarts and unseals with P's keys (P gone);
 *     operation token from P's shares on S; promote; RPO, RTO.
 *  7. Old tokens work on S, new writes succeed, every write acknowledged before the bound is there.
 *  8. P returns: fenced by S (refuses writes); demote; follows S; catches up.
 *  9. Fail back: S demoted, P promoted (DR batch token), S follows P.
 */
import { decodeOperationToken } from '@coffer/dr-replication';
import { waitFor } from '../cluster/harness.js';
import { drStatus, leaderUrl, linkSites, onLeader, startSite, unsealNode, waitCaughtUp, type Site } from './drill.js';
import { call, tryCall } from './http.js';
import { percentile, WriteLoad } from './load.js';

export interface DrillOptions {
  readonly loadMs: number;
  readonly writers: number;
  /** Every write acknowledged this long before the kill must be on the promoted secondary. */
  readonly rpoBoundMs: number;
  readonly log: (line: string) => void;
}

export interface DrillFigures {
  readonly writesDuringLoad: number;
  readonly lagEntries: { readonly p50: number; readonly p99: number; readonly max: number; readonly samples: number };
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly samples: number };
  readonly ackedBeforeKill: number;
  readonly missingAfterPromote: number;
  /** Acknowledged writes missing on the promoted cluster that were acknowledged more than `boundMs` before the kill: must be 0. */
  readonly missingOlderThanBound: { readonly boundMs: number; readonly count: number };
  /** ms between the earliest acknowledged-but-missing write and the kill (0 when none is missing). */
  readonly rpoMs: number;
  /** promote call -> first acknowledged write on the promoted cluster. */
  readonly rtoMs: number;
  readonly promoteCallMs: number;
  readonly catchUpAfterOfflineMs: number;
  readonly failbackCatchUpMs: number;
}

export interface DrillSites {
  P?: Site;
  S?: Site;
}

const DR = 'sys/replication/dr';

function expectStatus(what: string, r: { status: number; body: unknown }, status: number, match?: RegExp): void {
  const text = JSON.stringify(r.body);
  if (r.status !== status || (match !== undefined && !match.test(text))) throw new Error(`${what}: expected ${status}${match ? ` matching ${match}` : ''}, got ${r.status} ${text.slice(0, 400)}`);
}

/** Generates a DR operation token on `site` from `keys` (generate-root style), decoded with the OTP. */
export async function generateOperationToken(site: Site, keys: readonly string[]): Promise<string> {
  const started = await onLeader(site, 'POST', `${DR}/secondary/generate-operation-token/attempt`, {}, undefined);
  expectStatus('attempt start', started, 200);
  const { nonce, otp, required } = started.body as { nonce: string; otp: string; required: number };
  let last = started;
  for (const key of keys.slice(0, required)) {
    last = await onLeader(site, 'POST', `${DR}/secondary/generate-operation-token/update`, { key, nonce }, undefined);
    expectStatus('attempt update', last, 200);
  }
  if (last.body.complete !== true) throw new Error(`generation did not complete: ${JSON.stringify(last.body)}`);
  const token = decodeOperationToken(last.body.encoded_token as string, otp);
  if (!token.ok) throw new Error(token.error.message);
  return token.value;
}

async function lastWal(site: Site): Promise<number> {
  return (await drStatus(site))['last_wal'] as number;
}

export async function runDrill(o: DrillOptions, sites: DrillSites): Promise<DrillFigures> {
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    o.log(`-- ${name}`);
    try {
      const v = await fn();
      o.log(`   ok in ${Math.round(performance.now() - t0)} ms`);
      return v;
    } catch (e) {
      throw new Error(`drill step "${name}" failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };

  // P compacts often, so an offline secondary falls behind its log (step 4).
  const [P, S] = await step('start two 3-node clusters', () => Promise.all([startSite('P', 3, { snapshotThreshold: 300, snapshotTrailing: 50 }), startSite('S', 3)]));
  sites.P = P;
  sites.S = S;
  const sUrl = (): Promise<string> => leaderUrl(S);
  // Once S follows P it holds P's data, tokens included: P's root token is the one that works there.

  await step('bad activation tokens change nothing', async () => {
    expectStatus('S own secret', await onLeader(S, 'POST', 'secret/data/s-own', { data: { v: 's' } }), 200);
    expectStatus('malformed', await onLeader(S, 'POST', `${DR}/secondary/enable`, { token: 'cdr1.not-a-token' }), 400, /token/);
    expectStatus('P enable', await onLeader(P, 'POST', `${DR}/primary/enable`, {}), 200, /"mode":"primary"/);
    const short = await onLeader(P, 'POST', `${DR}/primary/secondary-token`, { id: 'expired', ttl: 1 });
    expectStatus('short token', short, 200);
    await waitFor('the 1 s token to expire', 5_000, () => (Date.now() > Date.parse(short.body.wrap_info.expires_at as string) ? true : undefined), 50);
    expectStatus('expired', await onLeader(S, 'POST', `${DR}/secondary/enable`, { token: short.body.wrap_info.token }), 400, /expired/);
    const own = await onLeader(P, 'POST', `${DR}/primary/secondary-token`, { id: 'self' });
    expectStatus('own token on P', await onLeader(P, 'POST', `${DR}/secondary/enable`, { token: own.body.wrap_info.token }), 400, /already a DR primary|its own/);
    expectStatus('no root token', await call(await sUrl(), 'POST', `${DR}/secondary/enable`, { token: own.body.wrap_info.token }), 403);
    expectStatus('secondary-token without id', await onLeader(P, 'POST', `${DR}/primary/secondary-token`, {}), 400, /id.. is required/);
    expectStatus('bad ttl', await onLeader(P, 'POST', `${DR}/primary/secondary-token`, { id: 'x', ttl: 'soon' }), 400, /ttl/);
    expectStatus('revoke unknown', await onLeader(P, 'POST', `${DR}/primary/revoke-secondary`, { id: 'nobody' }), 404, /no secondary ..nobody/);
    expectStatus('unknown DR path', await onLeader(P, 'POST', `${DR}/primary/bogus`, {}), 404);
    if ((await drStatus(S)).mode !== 'disabled') throw new Error('S changed mode after refused tokens');
    expectStatus('S data intact', await onLeader(S, 'GET', 'secret/data/s-own'), 200, /"v":"s"/);
  });

  const batch = await step('P data, a policy-limited token and a DR batch token', async () => {
    expectStatus('write', await onLeader(P, 'POST', 'secret/data/app/config', { data: { db: 'primary-db' } }), 200);
    expectStatus('policy', await onLeader(P, 'PUT', 'sys/policy/app-read', { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' }), 204);
    const t = await onLeader(P, 'POST', 'auth/token/create', { policies: ['app-read'], ttl: '24h' });
    expectStatus('token', t, 200);
    const b = await onLeader(P, 'POST', `${DR}/primary/batch-token`, { ttl: '8h', operations: ['promote', 'update-primary'] });
    expectStatus('batch token', b, 200, /hvb\./);
    return { appToken: t.body.auth.client_token as string, drBatch: b.body.data.token as string };
  });

  await step('S becomes P\'s secondary (wipe, snapshot, unseal with P\'s keys)', async () => {
    await linkSites(P, S);
    await waitCaughtUp(S, await lastWal(P));
    const h = await call(await sUrl(), 'GET', 'sys/health');
    expectStatus('health 472', h, 472, /"replication_dr_mode":"secondary"/);
    expectStatus('client path disabled', await call(await sUrl(), 'GET', 'secret/data/app/config', undefined, P.rootToken), 400, /disabled in replication DR secondary mode/);
    expectStatus('S own data replaced', await call(await sUrl(), 'GET', 'sys/replication/status'), 200, /"performance":\{"mode":"disabled"\}/);
  });

  const lagEntries: number[] = [];
  const lagMs: number[] = [];
  const load = new WriteLoad([...P.urls.values()], P.rootToken, 'load');
  const writesDuringLoad = await step(`steady writes on P for ${o.loadMs} ms, lag sampled, a step-down on each side`, async () => {
    load.start(o.writers, 600_000);
    const until = performance.now() + o.loadMs;
    let stepDowns = 0;
    while (performance.now() < until) {
      const st = await drStatus(S).catch(() => undefined);
      if (st !== undefined && st['connection_state'] === 'ready') {
        lagEntries.push(st['lag_entries'] as number);
        if (typeof st['lag_ms'] === 'number') lagMs.push(st['lag_ms']);
      }
      const elapsed = o.loadMs - (until - performance.now());
      if (stepDowns === 0 && elapsed > o.loadMs / 3) {
        expectStatus('P step-down', await onLeader(P, 'PUT', 'sys/step-down'), 204);
        stepDowns = 1;
      } else if (stepDowns === 1 && elapsed > (2 * o.loadMs) / 3) {
        // S's leader changes: another S node takes over the stream from the replicated position.
        const before = await S.cluster.waitForLeader(10_000);
        await S.cluster.kill(before, 'SIGKILL');
        S.cluster.restart(before);
        await unsealNode(S, before, P.keys);
        stepDowns = 2;
      }
      await new Promise((r) => setTimeout(r, 100)); // sampling period, not a wait for a condition
    }
    const n = load.acked.length;
    await waitCaughtUp(S, await lastWal(P), 60_000);
    return n;
  });

  const offline = await step('S offline while P compacts past it; S restarts and bootstraps from a snapshot', async () => {
    for (const id of S.urls.keys()) await S.cluster.kill(id, 'SIGKILL');
    const behind = await lastWal(P);
    await waitFor('P compacted past S', 90_000, async () => {
      const leader = await P.cluster.waitForLeader(10_000);
      const st = await P.cluster.status(leader);
      return Number(st?.first_index ?? 0) > behind + 1 ? true : undefined;
    }, 100);
    for (const id of S.urls.keys()) S.cluster.restart(id);
    for (const id of S.urls.keys()) await unsealNode(S, id, P.keys, 60_000);
    const t0 = performance.now();
    await waitCaughtUp(S, await lastWal(P), 90_000);
    const logs = S.cluster.logs();
    if (!/dr snapshot installed/.test(logs)) throw new Error('S caught up without a snapshot although P compacted past it');
    return performance.now() - t0;
  });

  await step('refused: promote without a token, with a wrong one, an operation token from wrong shares', async () => {
    expectStatus('no token', await onLeader(S, 'POST', `${DR}/secondary/promote`, {}, undefined), 400, /DR operation token/);
    expectStatus('wrong token', await onLeader(S, 'POST', `${DR}/secondary/promote`, { dr_operation_token: 'hvs.AAAAAAAAAAAAAAAAAAAAAAAA' }, undefined), 403, /invalid DR operation token/);
    const started = await onLeader(S, 'POST', `${DR}/secondary/generate-operation-token/attempt`, {}, undefined);
    expectStatus('attempt', started, 200);
    const nonce = started.body.nonce as string;
    expectStatus('first wrong share', await onLeader(S, 'POST', `${DR}/secondary/generate-operation-token/update`, { key: S.keys[0], nonce }, undefined), 200);
    const wrong = await onLeader(S, 'POST', `${DR}/secondary/generate-operation-token/update`, { key: S.keys[1], nonce }, undefined);
    expectStatus('wrong shares', wrong, 400, /progress was reset/);
    for (const k of S.keys) if (JSON.stringify(wrong.body).includes(k.slice(0, 16))) throw new Error('a share appears in the error');
    expectStatus('cancel', await onLeader(S, 'DELETE', `${DR}/secondary/generate-operation-token/attempt`, undefined, undefined), 204);
    if ((await drStatus(S)).mode !== 'secondary') throw new Error('S is no longer a secondary after refused calls');
  });

  const kill = await step('SIGKILL every P node under the same steady load', async () => {
    const before = load.acked.length;
    await waitFor('writes flowing before the kill', 30_000, () => (load.acked.length >= before + 50 ? true : undefined), 20);
    const [sAt, pAt] = await Promise.all([drStatus(S), drStatus(P)]);
    const pSecondary = (pAt['secondaries'] as { node_id: string; last_sent_index: number; connection_status: string }[] | undefined)?.find((x) => x.node_id === 'dr1');
    o.log(`   just before the kill: P last_wal ${String(pAt['last_wal'])}, sent to dr1 ${String(pSecondary?.last_sent_index)} (${String(pSecondary?.connection_status)}); S received ${String(sAt['last_received_wal'])}, applied ${String(sAt['last_remote_wal'])}, lag ${String(sAt['lag_entries'])} entries / ${String(sAt['lag_ms'])} ms, ${String(sAt['connection_state'])}`);
    const killAtMs = Date.now();
    await Promise.all([...P.urls.keys()].map((id) => P.cluster.kill(id, 'SIGKILL')));
    await load.stop();
    const acked = load.acked.filter((w) => w.ackedAtMs <= killAtMs);
    return { killAtMs, acked };
  });

  await step('with P gone, an S node restarts and unseals with P\'s keys', async () => {
    const leader = await S.cluster.waitForLeader(10_000);
    const follower = [...S.urls.keys()].find((id) => id !== leader) ?? '';
    await S.cluster.kill(follower, 'SIGKILL');
    S.cluster.restart(follower);
    await unsealNode(S, follower, P.keys);
    expectStatus('restarted S node is a DR secondary', await call(S.urls.get(follower) ?? '', 'GET', 'sys/health?standbyok=true'), 472);
  });

  const promoted = await step('operation token from P\'s shares on S; promote; first write', async () => {
    const before = await drStatus(S);
    o.log(`   S before promote: last_remote_wal ${String(before['last_remote_wal'])}, last_received_wal ${String(before['last_received_wal'])}, primary_last_wal ${String(before['primary_last_wal'])}, state ${String(before['state'])}`);
    const token = await generateOperationToken(S, P.keys);
    const t0 = performance.now();
    const r = await onLeader(S, 'POST', `${DR}/secondary/promote`, { dr_operation_token: token }, undefined);
    expectStatus('promote', r, 200, /"mode":"primary"/);
    const promoteCallMs = performance.now() - t0;
    const urls = [...S.urls.values()];
    let rtoMs = Number.NaN;
    for (let i = 0; i < 2_000 && Number.isNaN(rtoMs); i++) {
      const w = await tryCall(urls[i % urls.length] ?? '', 'POST', 'secret/data/after/first', { data: { v: String(i) } }, P.rootToken, 3_000);
      if (w.status === 200) rtoMs = performance.now() - t0;
    }
    if (Number.isNaN(rtoMs)) throw new Error('no write succeeded on the promoted cluster');
    return { promoteCallMs, rtoMs, token };
  });

  const rpo = await step('acknowledged writes, old tokens and new writes on the promoted S', async () => {
    const url = await sUrl();
    const missing: number[] = [];
    const otherAnswers = new Map<number, number>();
    for (const w of kill.acked) {
      // A definitive answer: 200 (present) or 404 (absent). Anything else (a leader change on S
      // while it is read) is asked again, bounded, on any S node.
      const r = await waitFor(`a definitive read of ${w.path}`, 30_000, async () => {
        const got = await tryCall([...S.urls.values()][Math.floor(Math.random() * S.urls.size)] ?? url, 'GET', w.path, undefined, P.rootToken);
        if (got.status === 200 || got.status === 404) return got;
        otherAnswers.set(got.status, (otherAnswers.get(got.status) ?? 0) + 1);
        return undefined;
      }, 50);
      if (r.status !== 200 || r.body.data.data.value !== w.value) missing.push(w.ackedAtMs);
    }
    if (missing.length > 0) {
      const lines = [...P.cluster.nodes.values()].flatMap((n) => n.logTail.filter((l) => /dr stream|leader changed|pause|stall/.test(l)).slice(-6).map((l) => `${n.id}: ${l.slice(0, 220)}`));
      o.log(`   ${missing.length} acknowledged writes missing; P's last DR/leader log lines:\n${lines.join('\n')}`);
    }
    if (otherAnswers.size > 0) o.log(`   reads answered neither 200 nor 404 (then asked again): ${JSON.stringify(Object.fromEntries(otherAnswers))}`);
    const rpoMs = missing.length === 0 ? 0 : kill.killAtMs - Math.min(...missing);
    const olderThanBound = missing.filter((ms) => ms < kill.killAtMs - o.rpoBoundMs).length;
    expectStatus('old root token', await call(url, 'GET', 'secret/data/app/config', undefined, P.rootToken), 200, /primary-db/);
    expectStatus('old app token', await call(url, 'GET', 'secret/data/app/config', undefined, batch.appToken), 200, /primary-db/);
    expectStatus('old app token is still limited', await call(url, 'POST', 'secret/data/app/config', { data: { db: 'x' } }, batch.appToken), 403);
    expectStatus('new write', await call(url, 'POST', 'secret/data/after/second', { data: { v: 'new' } }, P.rootToken), 200);
    return { missing: missing.length, rpoMs, olderThanBound };
  });

  await step('P returns: fenced by S, refuses writes; demoted; follows S and catches up', async () => {
    for (const id of P.urls.keys()) P.cluster.restart(id);
    for (const id of P.urls.keys()) await unsealNode(P, id, P.keys, 60_000);
    await waitFor('P fenced by the promoted S', 30_000, async () => ((await drStatus(P).catch(() => undefined))?.['state'] === 'fenced' ? true : undefined), 100);
    expectStatus('fenced P refuses writes', await onLeader(P, 'POST', 'secret/data/split-brain', { data: { v: 'no' } }), 503, /refused/);
    expectStatus('demote', await onLeader(P, 'POST', `${DR}/primary/demote`, {}), 200, /"mode":"secondary"/);
    const t = await onLeader(S, 'POST', `${DR}/primary/secondary-token`, { id: 'old-primary' }, P.rootToken);
    expectStatus('token from S', t, 200);
    const opToken = await generateOperationToken(P, P.keys);
    expectStatus('update-primary', await onLeader(P, 'POST', `${DR}/secondary/update-primary`, { dr_operation_token: opToken, token: t.body.wrap_info.token }, undefined), 200);
    await waitCaughtUp(P, await lastWal(S));
    // S's keyring is P's (same root key): P's nodes follow it, or seal and take P's keys again.
    for (const id of P.urls.keys()) await unsealNode(P, id, P.keys);
    return opToken;
  });

  const failbackCatchUpMs = await step('fail back: S demoted, P promoted with the DR batch token, S follows P', async () => {
    // Planned: S stops taking writes but keeps streaming its frozen log, so P gets everything.
    const sLast = await lastWal(S);
    expectStatus('S demote', await onLeader(S, 'POST', `${DR}/primary/demote`, {}, P.rootToken), 200, /"mode":"secondary"/);
    await waitCaughtUp(P, sLast);
    expectStatus('P promote with the batch token', await onLeader(P, 'POST', `${DR}/secondary/promote`, { dr_operation_token: batch.drBatch }, undefined), 200, /"mode":"primary"/);
    expectStatus('write on P again', await onLeader(P, 'POST', 'secret/data/after/failback', { data: { v: 'back' } }), 200);
    expectStatus('S wrote while primary, P has it', await onLeader(P, 'GET', 'secret/data/after/second'), 200, /new/);
    const t = await onLeader(P, 'POST', `${DR}/primary/secondary-token`, { id: 'dr1-again' });
    expectStatus('token from P', t, 200);
    expectStatus('S update-primary with the batch token', await onLeader(S, 'POST', `${DR}/secondary/update-primary`, { dr_operation_token: batch.drBatch, token: t.body.wrap_info.token }, undefined), 200);
    const t0 = performance.now();
    await waitCaughtUp(S, await lastWal(P));
    return performance.now() - t0;
  });

  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    writesDuringLoad,
    lagEntries: { p50: percentile(lagEntries, 50), p99: percentile(lagEntries, 99), max: Math.max(...lagEntries), samples: lagEntries.length },
    lagMs: { p50: round(percentile(lagMs, 50)), p99: round(percentile(lagMs, 99)), max: round(Math.max(...lagMs)), samples: lagMs.length },
    ackedBeforeKill: kill.acked.length,
    missingAfterPromote: rpo.missing,
    missingOlderThanBound: { boundMs: o.rpoBoundMs, count: rpo.olderThanBound },
    rpoMs: rpo.rpoMs,
    rtoMs: round(promoted.rtoMs),
    promoteCallMs: round(promoted.promoteCallMs),
    catchUpAfterOfflineMs: round(offline),
    failbackCatchUpMs: round(failbackCatchUpMs),
  };
}
