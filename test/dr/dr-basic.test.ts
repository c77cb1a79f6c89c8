import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../cluster/harness.js';
import { drStatus, leaderUrl, linkSites, onLeader, startSite, stopSites, waitCaughtUp, type Site } from './drill.js';
import { call } from './http.js';

let P: Site | undefined;
let S: Site | undefined;
let failed = false;

beforeAll(async () => {
  [P, S] = await Promise.all([startSite('P'), startSite('S')]);
});
afterAll(async () => {
  if (failed) for (const s of [P, S]) if (s) console.error(`=== ${s.name}\n${s.cluster.logs()}`);
  await stopSites(P, S);
});

describe('DR basic', () => {
  it('streams the primary to the secondary', async () => {
    try {
      const p = P as Site;
      const s = S as Site;
      const w = await onLeader(p, 'POST', 'secret/data/app/one', { data: { v: '1' } });
      expect(w.status).toBe(200);
      await linkSites(p, s);
      const st = await drStatus(p);
      expect(st.mode).toBe('primary');
      const w2 = await onLeader(p, 'POST', 'secret/data/app/two', { data: { v: '2' } });
      expect(w2.status).toBe(200);
      const pst = await drStatus(p);
      const sst = await waitCaughtUp(s, pst['last_wal'] as number);
      expect(sst).toMatchObject({ mode: 'secondary', state: 'stream-entries', connection_state: 'ready' });
      const h = await call(await leaderUrl(s), 'GET', 'sys/health');
      expect(h.status).toBe(472);
      const r = await call(await leaderUrl(s), 'GET', 'secret/data/app/one', undefined, p.rootToken);
      expect(r.status).toBe(400);
      expect(r.body.errors[0]).toMatch(/DR secondary/);
      await waitFor('x', 1000, () => true);
    } catch (e) {
      failed = true;
      throw e;
    }
  });
});
