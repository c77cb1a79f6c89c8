/**
 * Starts the two systems the comparison benchmarks drive (3-member etcd, 3-node Coffer, both on
 * 127.0.0.1) and prints the header every report starts with: versions, load shape, durability.
 */
import { CofferHttpCluster } from './coffer-cluster.js';
import { EtcdCluster, etcdVersion } from './etcd-cluster.js';
import type { KvSystem } from './kv-system.js';
import { VALUE_BYTES } from './kv-system.js';

export interface Systems {
  readonly coffer: CofferHttpCluster;
  readonly etcd: EtcdCluster;
  /** Coffer first: the order of the table rows (the phases themselves alternate). */
  readonly both: readonly KvSystem[];
}

export async function startSystems(title: string, load: { connections: number; keys: number; seconds: number; rounds: number }): Promise<Systems> {
  const version = etcdVersion(); // fails early, with an install hint, when etcd is missing
  const coffer = new CofferHttpCluster();
  const etcd = new EtcdCluster();
  const t0 = performance.now();
  await Promise.all([coffer.start(3), etcd.start(3)]);
  const say = (s: string): void => void process.stdout.write(`${s}\n`);
  say(`${title}: ${version} vs coffer (3 members each, 127.0.0.1; up in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  say(`load: autocannon, ${load.connections} connections to the leader, ${VALUE_BYTES} B values, ${load.keys} keys, ${load.seconds} s phases x ${load.rounds} rounds, interleaved A/B`);
  say(`data dirs: ${coffer.cluster.root} ${etcd.root} (removed at exit)`);
  say(`durability: ${etcd.durability}`);
  say(`            ${coffer.durability}`);
  say(`timing:     ${etcd.timing}`);
  say(`            ${coffer.timing}`);
  return { coffer, etcd, both: [coffer, etcd] };
}
