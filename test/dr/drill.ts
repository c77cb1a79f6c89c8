/**
 * Two real clusters on loopback for the DR tests and the drill bench: each `coffer server`
 * processes with embedded gateways, initialized with their own Shamir keys and unsealed.
 */
import { Cluster, waitFor } from '../cluster/harness.js';
import { call, tryCall, type HttpAnswer } from './http.js';

export interface Site {
  readonly name: string;
  readonly cluster: Cluster;
  readonly urls: Map<string, string>;
  readonly keys: string[];
  readonly rootToken: string;
}

export async function startSite(name: string, nodes = 3, options: ConstructorParameters<typeof Cluster>[0] = {}, shares = 3, threshold = 2): Promise<Site> {
  const cluster = new Cluster(options);
  const urls = await cluster.startWithApi(nodes);
  const leader = await cluster.waitForLeader(30_000);
  const init = await call(urls.get(leader) ?? '', 'PUT', 'sys/init', { secret_shares: shares, secret_threshold: threshold });
  if (init.status !== 200) throw new Error(`${name}: init answered ${init.status} ${JSON.stringify(init.body)}`);
  const site: Site = { name, cluster, urls, keys: init.body.keys as string[], rootToken: init.body.root_token as string };
  for (const id of urls.keys()) await unsealNode(site, id, site.keys);
  return site;
}

/** Unseals node `id` with `keys` (a threshold of them), waiting until it has the data to unseal. */
export async function unsealNode(site: Site, id: string, keys: readonly string[], timeoutMs = 30_000): Promise<void> {
  const url = site.urls.get(id) ?? '';
  await waitFor(`${site.name}/${id} initialized`, timeoutMs, async () => ((await tryCall(url, 'GET', 'sys/seal-status')).body?.initialized === true ? true : undefined));
  await waitFor(`${site.name}/${id} unsealed`, timeoutMs, async () => {
    const st = await tryCall(url, 'GET', 'sys/seal-status');
    if (st.body?.sealed === false) return true;
    if (st.status !== 200) return undefined;
    for (const key of keys) {
      const r = await tryCall(url, 'PUT', 'sys/unseal', { key });
      if (r.body?.sealed === false) return true;
    }
    return undefined;
  }, 200);
}

/** The current leader's API URL. */
export async function leaderUrl(site: Site, timeoutMs = 30_000): Promise<string> {
  return site.urls.get(await site.cluster.waitForLeader(timeoutMs)) ?? '';
}

/** A call on the leader, with the site's root token. */
export async function onLeader(site: Site, method: string, path: string, body?: unknown, token: string | undefined = site.rootToken): Promise<HttpAnswer> {
  return call(await leaderUrl(site), method, path, body, token);
}

export async function drStatus(site: Site): Promise<Record<string, unknown> & { mode: string }> {
  const r = await call(await leaderUrl(site), 'GET', 'sys/replication/dr/status');
  if (r.status !== 200) throw new Error(`${site.name}: dr/status answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data;
}

/** Makes `primary` a DR primary and `secondary` its secondary `id`; resolves once the secondary streams. */
export async function linkSites(primary: Site, secondary: Site, id = 'dr1'): Promise<void> {
  const enabled = await onLeader(primary, 'POST', 'sys/replication/dr/primary/enable', {});
  if (enabled.status !== 200 && !(enabled.status === 400 && /is a DR primary/.test(String(enabled.body?.errors)))) throw new Error(`primary enable: ${enabled.status} ${JSON.stringify(enabled.body)}`);
  const token = await onLeader(primary, 'POST', 'sys/replication/dr/primary/secondary-token', { id });
  if (token.status !== 200) throw new Error(`secondary-token: ${token.status} ${JSON.stringify(token.body)}`);
  const on = await onLeader(secondary, 'POST', 'sys/replication/dr/secondary/enable', { token: token.body.wrap_info.token });
  if (on.status !== 200) throw new Error(`secondary enable: ${on.status} ${JSON.stringify(on.body)}`);
  // The first snapshot brings the primary's keyring: every secondary node seals itself, and is
  // unsealed with the PRIMARY's keys.
  for (const [nodeId, url] of secondary.urls) {
    await waitFor(`${secondary.name}/${nodeId} sealed by the primary's keyring`, 30_000, async () => ((await tryCall(url, 'GET', 'sys/seal-status')).body?.sealed === true ? true : undefined), 50);
    await unsealNode(secondary, nodeId, primary.keys);
  }
}

/** Waits until the secondary has applied the primary's entries up to `index`. */
export async function waitCaughtUp(secondary: Site, index: number, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return waitFor(`${secondary.name} caught up to ${index}`, timeoutMs, async () => {
    const s = await drStatus(secondary).catch(() => undefined);
    return s !== undefined && typeof s['last_remote_wal'] === 'number' && s['last_remote_wal'] >= index ? s : undefined;
  }, 50);
}

export async function stopSites(...sites: readonly (Site | undefined)[]): Promise<void> {
  for (const s of sites) await s?.cluster.close();
}
