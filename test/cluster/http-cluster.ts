/**
 * A 3-or-more-node cluster ready for HTTP load (bench and profile scripts): nodes with embedded
 * gateways (`Cluster.startWithApi`), initialized with one Shamir share on the leader, every node
 * unsealed. Resolves with the API URLs, the root token and the leader after unseal.
 */
import { CofferClient } from '@coffer/client';
import { type Cluster, waitFor } from './harness.js';

export interface UnsealedHttpCluster {
  readonly urls: ReadonlyMap<string, string>;
  readonly rootToken: string;
  readonly leader: string;
}

export async function startUnsealedHttpCluster(c: Cluster, n: number): Promise<UnsealedHttpCluster> {
  const urls = await c.startWithApi(n);
  const client = (id: string): CofferClient => new CofferClient({ address: urls.get(id) ?? '', env: {} });
  const init = await client(await c.waitForLeader(20_000)).sys.init({ secret_shares: 1, secret_threshold: 1 });
  for (const id of urls.keys()) {
    await waitFor(`${id} initialized`, 10_000, async () => ((await client(id).sys.sealStatus()).initialized ? true : undefined));
    await client(id).sys.unseal(init.keys[0] ?? '');
  }
  return { urls, rootToken: init.root_token, leader: await c.waitForLeader(10_000) };
}
