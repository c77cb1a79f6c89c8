/**
 * What `coffer dev` prints once the cluster is up and unsealed: where the nodes are, the unseal
 * key and root token (with `vault server -dev`'s warning), the two export lines, and what to try.
 * The key and token go to the terminal of the user who started the cluster and to 0600 files;
 * this is the one place they are printed, and only in dev mode.
 */
import { relative } from 'node:path';
import { devEnvLines, type DevKeys } from './dev-keys.js';

export interface DevBannerNode {
  readonly id: string;
  readonly apiAddress: string;
  readonly clusterAddress: string;
  readonly logFile: string;
}

export interface DevBanner {
  readonly nodes: readonly DevBannerNode[];
  readonly leaderId: string;
  readonly dataDir: string;
  readonly envFile: string;
  readonly keysFile: string;
  readonly keys: DevKeys;
  readonly isFresh: boolean;
  readonly address: string;
  readonly cwd: string;
  /** Absolute path of this build's main.js (what `coffer` runs). */
  readonly cliMain: string;
}

/** A path as the user would type it from where they ran `npm start` (relative when inside). */
function shown(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r !== '' && !r.startsWith('..') ? r : path;
}

export function devBanner(b: DevBanner): string {
  const lines = [
    `Coffer development cluster: ${b.nodes.length} node(s) on 127.0.0.1, data in ${shown(b.dataDir, b.cwd)}`,
    ...b.nodes.map((n) => `  ${n.id}  HTTP API http://${n.apiAddress}  raft/gRPC ${n.clusterAddress}  log ${shown(n.logFile, b.cwd)}`),
    `leader: ${b.leaderId}`,
    b.isFresh ? 'initialized (1 key share, threshold 1) and unsealed every node' : `reused the existing data: unsealed every node with the key in ${shown(b.keysFile, b.cwd)}`,
    '',
    'WARNING! dev mode is enabled! The unseal key is stored on disk next to the data it protects',
    `(${shown(b.keysFile, b.cwd)}), so the seal protects nothing. Development only.`,
    '',
    'You may need to set the following environment variables (also in the file below):',
    '',
    ...devEnvLines(b.address, b.keys.rootToken),
    '',
    `    source ${shown(b.envFile, b.cwd)}`,
    '',
    'The unseal key and root token are displayed below in case you want to seal/unseal a node or',
    're-authenticate.',
    '',
    `Unseal Key: ${b.keys.unsealKey}`,
    `Root Token: ${b.keys.rootToken}`,
    '',
    'Try it with the `coffer` CLI of this build (nothing to install: an alias for this shell):',
    '',
    `    alias coffer='node ${b.cliMain}'`,
    '    coffer kv put secret/hello foo=world',
    '    coffer kv get secret/hello',
    '    coffer status',
    '',
    'Development mode should NOT be used in production installations! See docs/operator-guide.md.',
    'Ctrl-C stops every node; the next `npm start` reuses the data.',
    '',
  ];
  return lines.join('\n');
}
