/**
 * `ClusterControl` over HTTP alone, for a cluster this tool did not start (`--addr`): the leader
 * from sys/leader, step-down through sys/step-down (Vault's semantics: PUT with a root token, the
 * active node steps down). Kill, pause and partition need process access and are absent; the
 * operator's own `--fault-command` is added by the caller.
 */
import { CofferClient } from '@coffer/client';
import type { ClusterControl, ClusterNode, LeaderInfo } from './types.js';

export function nodeIdOfUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export function httpClusterControl(addresses: readonly string[], token: string, timeoutMs = 2000): ClusterControl {
  const nodes: ClusterNode[] = addresses.map((a) => ({ id: nodeIdOfUrl(a), apiUrl: a.replace(/\/+$/, '') }));
  const clients = new Map(nodes.map((n) => [n.id, new CofferClient({ address: n.apiUrl, token, timeoutMs, env: {} })]));
  return {
    nodes: () => nodes,
    async leader(): Promise<LeaderInfo | undefined> {
      for (const c of clients.values()) {
        const l = await c.sys.leader().catch(() => undefined);
        if (l === undefined || l.leader_address === '') continue;
        // Name the leader as the node list names it, when it is one of them.
        const id = nodeIdOfUrl(l.leader_address);
        return { id: nodes.find((n) => n.id === id)?.id ?? id };
      }
      return undefined;
    },
    async stepDown(id: string): Promise<void> {
      // Sent to the leader when it is one of our addresses, else to any node (which forwards).
      const c = clients.get(id) ?? [...clients.values()][0];
      if (c === undefined) throw new Error('no address to send sys/step-down to');
      await c.sys.stepDown();
    },
  };
}
