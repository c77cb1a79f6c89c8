/**
 * `npm run bench:http`: Coffer's HTTP API against etcd 3.4's JSON gateway, same machine, one run.
 * A 3-node Coffer cluster (KV v2 PUT/GET /v1/secret/data/bench/k<i>) and a 3-member etcd cluster
 * (POST /v3/kv/put, /v3/kv/range) on loopback; autocannon drives writes then reads at each
 * leader, interleaved A/B per round; the table gives req/s (median, min-max over the rounds), p50,
 * p99 and failed requests, then the Coffer/etcd ratio per op. Any failed request, or a sampled key
 * that does not read back, makes the run fail (exit 1): a benchmark whose requests fail measures
 * nothing. The last line, `bench-result {json}`, is for machines.
 *
 * Options: --seconds N (per phase, default 10), --rounds N (default 3), --connections N
 * (default 64), --keys N (key space, default 1000).
 */
import { compare, failedRequests, prefill, printTable, verifyReadBack } from './bench/compare.js';
import { parseOptions } from './bench/args.js';
import { runBench } from './bench/reaper.js';
import { startSystems } from './bench/setup.js';

const USAGE = 'usage: bench-http.ts [--seconds 10] [--rounds 3] [--connections 64] [--keys 1000]';

runBench('bench-http', async () => {
  const o = parseOptions(process.argv.slice(2), { seconds: 10, rounds: 3, connections: 64, keys: 1000 }, USAGE);
  const { both, coffer, etcd } = await startSystems('bench-http', o);
  try {
    await Promise.all(both.map((s) => prefill(s, o.keys)));
    const rows = await compare(both, o);
    printTable(rows);
    const readBack = [...(await verifyReadBack(coffer, o.keys, 20)), ...(await verifyReadBack(etcd, o.keys, 20))];
    process.stdout.write(`read-back of 20 sampled keys per system: ${readBack.length === 0 ? 'all match' : `${readBack.length} FAILED`}\n`);
    const problems = [...failedRequests(rows), ...readBack];
    process.stdout.write(`bench-result ${JSON.stringify({ options: o, rows })}\n`);
    for (const p of problems) process.stderr.write(`bench-http: FAILED ${p}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await Promise.all([coffer.close(), etcd.close()]);
  }
});
