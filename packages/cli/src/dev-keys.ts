/**
 * The development cluster's key file (`<data dir>/dev-keys.json`) and its shell snippet
 * (`<data dir>/dev.env`). DEV ONLY: keeping the unseal key next to the data it opens defeats the
 * seal, which is exactly what a throw-away local cluster wants and a real one must never do.
 * Both files are written with mode 0600 (owner only), replacing any earlier file atomically.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cofferError, err, ok, type Result } from '@coffer/base';

export interface DevKeys {
  /** The single Shamir share (hex), threshold 1, as `vault server -dev`. */
  readonly unsealKey: string;
  readonly rootToken: string;
}

export const DEV_KEYS_FILE = 'dev-keys.json';
export const DEV_ENV_FILE = 'dev.env';

/**
 * Reads the key file. `ok(undefined)` when there is none; an error when it exists but cannot be
 * read or does not hold the two fields (the caller decides whether that matters: it does only
 * when the nodes are initialized). The message completes "<path> ..." and never carries the file's content.
 */
export function readDevKeys(path: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): Result<DevKeys | undefined> {
  let text: string;
  try {
    text = read(path);
  } catch (e: unknown) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') return ok(undefined);
    return err(cofferError('invalid-request', `cannot be read (${typeof code === 'string' ? code : 'error'})`));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err(cofferError('invalid-request', 'is not valid JSON'));
  }
  const o = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const unsealKey = o['unseal_key'];
  const rootToken = o['root_token'];
  if (typeof unsealKey !== 'string' || unsealKey === '' || typeof rootToken !== 'string' || rootToken === '') {
    return err(cofferError('invalid-request', 'does not hold "unseal_key" and "root_token"'));
  }
  return ok({ unsealKey, rootToken });
}

export function writeDevKeys(path: string, keys: DevKeys): void {
  const note = 'DEVELOPMENT ONLY: the unseal key stored next to the data it protects. Never do this in production.';
  writePrivate(path, `${JSON.stringify({ note, unseal_key: keys.unsealKey, root_token: keys.rootToken }, null, 2)}\n`);
}

/** The two lines a shell `source`s to point the CLI and any Vault client at the cluster. */
export function devEnvLines(address: string, rootToken: string): string[] {
  return [`export COFFER_ADDR=${address}`, `export COFFER_TOKEN=${rootToken}`];
}

export function writeDevEnv(path: string, address: string, rootToken: string): void {
  writePrivate(path, `${devEnvLines(address, rootToken).join('\n')}\n`);
}

/** Write to a temp file created 0600, then rename: the secret is never readable by others, even briefly. */
function writePrivate(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask cannot widen 0600, but a leftover tmp file could have kept other bits
  renameSync(tmp, path);
}
