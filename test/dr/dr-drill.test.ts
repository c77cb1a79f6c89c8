/**
 * The DR drill (test/dr/drill-run.ts) with a short load, against two real 3-node clusters: every
 * step asserts what an operator would check (status codes, errors, data), and the figures are
 * checked against loose bounds here (scripts/dr-drill.ts reports them from a longer run).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cluster/run-cli.js';
import { leaderUrl, type Site } from './drill.js';
import { call } from './http.js';
import { runDrill, type DrillSites } from './drill-run.js';

const sites: DrillSites = {};
const lines: string[] = [];
let failed = false;

afterAll(async () => {
  if (failed) {
    console.error(lines.join('\n'));
    for (const s of [sites.P, sites.S]) if (s !== undefined) console.error(`=== ${s.name}\n${s.cluster.logs()}`);
  }
  for (const s of [sites.P, sites.S]) await s?.cluster.close();
  rmSync(home, { recursive: true, force: true });
});

const home = mkdtempSync(join(tmpdir(), 'coffer-dr-cli-'));
const dr = (site: Site | undefined, args: readonly string[], o: { token?: string; stdin?: string } = {}) =>
  leaderUrl(site as Site).then((addr) =>
    runCli(['dr', ...args], { PATH: process.env['PATH'] ?? '', HOME: home, COFFER_ADDR: addr, ...(o.token === undefined ? {} : { COFFER_TOKEN: o.token }) }, o.stdin ?? ''),
  );

describe('DR replication drill: two 3-node clusters', () => {
  it('enable, stream under load with leader changes, snapshot bootstrap, kill the primary, promote, fail over and back', async () => {
    try {
      const f = await runDrill({ loadMs: 6_000, writers: 4, rpoBoundMs: 3_000, log: (l) => lines.push(l) }, sites);
      lines.push(`DR drill figures: ${JSON.stringify(f)}`);
      console.log(lines[lines.length - 1]);
      expect(f.writesDuringLoad).toBeGreaterThan(50);
      expect(f.lagEntries.samples).toBeGreaterThan(5);
      // Nothing acknowledged more than the bound before the kill is missing on the promoted cluster.
      expect(f.missingOlderThanBound.count).toBe(0);
      expect(f.rpoMs).toBeLessThan(3_000);
      expect(f.rtoMs).toBeLessThan(10_000);
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 600_000);

  // After the drill P is the primary again and S follows it.
  it('coffer dr: status in words, tokens, refusals with what to do, operation token generation', async () => {
    if (failed || sites.P === undefined || sites.S === undefined) return expect.fail('the drill did not complete');
    const P = sites.P;
    const root = P.rootToken;
    const s = await dr(sites.S, ['status']);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/secondary/);
    expect(s.out).toMatch(/lag/);
    const p = await dr(P, ['status', '-format=json']);
    expect(JSON.parse(p.out)).toMatchObject({ mode: 'primary', state: 'running' });
    const noToken = await dr(sites.S, ['secondary', 'promote']);
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/operation-token generate/);
    const t = await dr(P, ['primary', 'secondary-token', 'cli-sec', '-field=token'], { token: root });
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^cdr1\./);
    // Not confirmed: exit 2, and S (a secondary) is untouched.
    const unconfirmed = await dr(sites.S, ['secondary', 'enable', t.out.trim()], { token: root });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toMatch(/-force/);
    expect(unconfirmed.err).not.toContain(t.out.trim());
    const gen = await dr(sites.S, ['operation-token', 'generate'], { stdin: `${P.keys[0]}\n${P.keys[1]}\n` });
    expect(gen.code, gen.err).toBe(0);
    const token = /hvs\.[A-Za-z0-9]+/.exec(gen.out)?.[0] ?? '';
    expect(token).not.toBe('');
    const del = await dr(sites.S, ['operation-token', 'delete', `-dr-operation-token=${token}`]);
    expect(del.code, del.err).toBe(0);
    const again = await dr(sites.S, ['operation-token', 'delete', `-dr-operation-token=${token}`]);
    expect(again.code).toBe(1);
    expect(again.err).not.toContain(token);
    const revoke = await dr(P, ['primary', 'revoke-secondary', 'cli-sec'], { token: root });
    expect(revoke.code, revoke.err).toBe(0);
    // The status numbers are metrics too (sys/metrics stays available on a DR secondary).
    const m = await call(await leaderUrl(sites.S), 'GET', 'sys/metrics?format=prometheus', undefined, root);
    expect(m.status).toBe(200);
    expect(String(m.body)).toMatch(/coffer_dr_mode\S* 2\b/);
    expect(String(m.body)).toMatch(/coffer_dr_lag_entries/);
    expect(String(m.body)).toMatch(/coffer_dr_last_remote_wal\S* [1-9]/);
  });
});
