/**
 * The `coffer server` configuration: a JSON file (`--config`) and/or flags (flags win). Every
 * problem is reported with the field's name and what to do, as a typed result, never a throw.
 */
import { readFileSync } from 'node:fs';
import { cofferError, err, ok, type CofferError, type Result } from '@coffer/base';

export interface TlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface ServerConfig {
  readonly nodeId: string;
  readonly dataDir: string;
  readonly clusterId: string;
  /** host:port of the raft + node API gRPC server; also what peers dial. */
  readonly clusterAddress: string;
  /** Reserved for the HTTP gateway (a later issue). */
  readonly apiAddress: string | undefined;
  /** Founding members (id -> cluster address), used only when the data dir is new. */
  readonly bootstrap: ReadonlyMap<string, string> | undefined;
  /** Existing members to reach when this node joins a running cluster (it waits to be added). */
  readonly join: ReadonlyMap<string, string> | undefined;
  readonly tls: TlsFiles | undefined;
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly snapshotThresholdEntries: number;
  readonly snapshotTrailingEntries: number;
  /** host:port for the Prometheus /metrics endpoint; off when unset. */
  readonly metricsAddress: string | undefined;
  readonly unsafeFaultInjection: boolean;
  /** TESTS/BENCH ONLY: serve raw KV Propose/Read (stored in clear; never for secrets). */
  readonly unsafeRawKv: boolean;
  /** Auto-unseal (`{"seal": {"awskms": {...}}}`); absent: the Shamir seal. Env vars win (kms-unseal README). */
  readonly seal: { readonly awskms: SealStanza } | undefined;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Defaults chosen for fast failover on a LAN (see the README: "How the timeouts were chosen"). */
export const DEFAULTS = {
  tickMs: 50,
  electionTicks: 6,
  heartbeatTicks: 1,
  snapshotThresholdEntries: 10_000,
  snapshotTrailingEntries: 1_000,
  logLevel: 'info',
} as const;

type Raw = Record<string, unknown>;

const FLAG_TO_FIELD: Readonly<Record<string, string>> = {
  '--node-id': 'nodeId',
  '--data-dir': 'dataDir',
  '--cluster-id': 'clusterId',
  '--cluster-address': 'clusterAddress',
  '--api-address': 'apiAddress',
  '--bootstrap': 'bootstrap',
  '--join': 'join',
  '--tls-ca': 'tls.caFile',
  '--tls-cert': 'tls.certFile',
  '--tls-key': 'tls.keyFile',
  '--tick-ms': 'tickMs',
  '--election-ticks': 'electionTicks',
  '--heartbeat-ticks': 'heartbeatTicks',
  '--snapshot-threshold': 'snapshotThresholdEntries',
  '--snapshot-trailing': 'snapshotTrailingEntries',
  '--metrics-address': 'metricsAddress',
  '--log-level': 'logLevel',
};
const BOOLEAN_FLAGS: Readonly<Record<string, string>> = { '--unsafe-fault-injection': 'unsafeFaultInjection', '--unsafe-raw-kv': 'unsafeRawKv' };

export interface SealStanza {
  readonly region?: string;
  readonly kms_key_id?: string;
  readonly endpoint?: string;
}

export const SERVER_USAGE = `usage: coffer server [--config path.json] [flags]
  --node-id ID                 this node's id (required)
  --data-dir DIR               where the raft log and state live (required)
  --cluster-id ID              refuses peers of another cluster (required)
  --cluster-address HOST:PORT  raft + node API gRPC address (required)
  --api-address HOST:PORT      Vault-compatible HTTP API (the embedded gateway) on this address
  --bootstrap n1=H:P,n2=H:P    found a new cluster with these members (first start only)
  --join n1=H:P,...            join a running cluster (ask its leader to add this node)
  --tls-ca/--tls-cert/--tls-key FILE   mutual TLS between nodes
  --tick-ms N (${DEFAULTS.tickMs})  --election-ticks N (${DEFAULTS.electionTicks})  --heartbeat-ticks N (${DEFAULTS.heartbeatTicks})
  --snapshot-threshold N (${DEFAULTS.snapshotThresholdEntries})  --snapshot-trailing N (${DEFAULTS.snapshotTrailingEntries})
  --metrics-address HOST:PORT  Prometheus /metrics endpoint
  --log-level debug|info|warn|error
  --unsafe-fault-injection     TESTS ONLY: lets SetFaults partition this node
  --unsafe-raw-kv              TESTS/BENCH ONLY: raw KV Propose/Read, stored in clear
  config file only: "seal": {"awskms": {"region", "kms_key_id", "endpoint"}}  AWS KMS auto-unseal
  env OTEL_TRACES_EXPORTER=console|none  one JSON line per span on stdout (default none)`;

/** Flags and the config file, merged; the result is validated by `validateConfig`. */
export function parseServerArgs(args: readonly string[], readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Result<ServerConfig> {
  const fromFlags: Raw = {};
  let configPath: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.includes('=') && a.startsWith('--') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag in BOOLEAN_FLAGS) {
      fromFlags[BOOLEAN_FLAGS[flag] as string] = inline === undefined ? true : inline === 'true';
      continue;
    }
    const field = flag === '--config' ? 'config' : FLAG_TO_FIELD[flag];
    if (field === undefined) return err(cofferError('invalid-request', `unknown flag ${flag}; see \`coffer server --help\``));
    const value = inline ?? args[++i];
    if (value === undefined) return err(cofferError('invalid-request', `flag ${flag} needs a value`));
    if (field === 'config') configPath = value;
    else setPath(fromFlags, field, value);
  }
  let fromFile: Raw = {};
  if (configPath !== undefined) {
    let text: string;
    try {
      text = readFile(configPath);
    } catch (e: unknown) {
      const code = (e as { code?: string }).code ?? 'error';
      return err(cofferError('invalid-request', `config file ${configPath} cannot be read (${code}); check the --config path`));
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return err(cofferError('invalid-request', `config file ${configPath} must hold a JSON object`));
      }
      fromFile = parsed as Raw;
    } catch (e: unknown) {
      return err(cofferError('invalid-request', `config file ${configPath} is not valid JSON (${e instanceof Error ? e.message : 'parse error'}); fix the file`));
    }
  }
  const tls = { ...(isObject(fromFile['tls']) ? fromFile['tls'] : {}), ...(isObject(fromFlags['tls']) ? fromFlags['tls'] : {}) };
  const merged: Raw = { ...fromFile, ...fromFlags };
  if (Object.keys(tls).length > 0) merged['tls'] = tls;
  return validateConfig(merged, configPath ?? 'flags');
}

export function validateConfig(raw: Raw, source: string): Result<ServerConfig> {
  const known = new Set(['nodeId', 'dataDir', 'clusterId', 'clusterAddress', 'apiAddress', 'bootstrap', 'join', 'tls', 'tickMs', 'electionTicks', 'heartbeatTicks', 'snapshotThresholdEntries', 'snapshotTrailingEntries', 'metricsAddress', 'unsafeFaultInjection', 'unsafeRawKv', 'seal', 'logLevel']);
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) return bad(source, k, 'is not a known field; remove it or check its spelling');
  }
  try {
    const nodeId = str(raw, 'nodeId', source, true) as string;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId)) return bad(source, 'nodeId', 'must be 1-64 characters of A-Z a-z 0-9 _ . -');
    const clusterAddress = str(raw, 'clusterAddress', source, true) as string;
    if (!isHostPort(clusterAddress)) return bad(source, 'clusterAddress', 'must be HOST:PORT, e.g. 127.0.0.1:7001');
    const bootstrap = peers(raw, 'bootstrap', source);
    const join = peers(raw, 'join', source);
    if (bootstrap !== undefined && join !== undefined) return bad(source, 'join', 'cannot be combined with bootstrap: a node either founds a cluster or joins one');
    if (bootstrap !== undefined && !bootstrap.has(nodeId)) return bad(source, 'bootstrap', `must list this node (${nodeId}) among the founding members`);
    const tickMs = int(raw, 'tickMs', source, DEFAULTS.tickMs, 1, 10_000);
    const electionTicks = int(raw, 'electionTicks', source, DEFAULTS.electionTicks, 2, 10_000);
    const heartbeatTicks = int(raw, 'heartbeatTicks', source, DEFAULTS.heartbeatTicks, 1, 10_000);
    if (heartbeatTicks >= electionTicks) return bad(source, 'heartbeatTicks', `must be below electionTicks (${electionTicks})`);
    const logLevel = str(raw, 'logLevel', source, false) ?? DEFAULTS.logLevel;
    if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) return bad(source, 'logLevel', 'must be debug, info, warn or error');
    const fault = raw['unsafeFaultInjection'];
    if (fault !== undefined && typeof fault !== 'boolean') return bad(source, 'unsafeFaultInjection', 'must be true or false');
    const rawKv = raw['unsafeRawKv'];
    if (rawKv !== undefined && typeof rawKv !== 'boolean') return bad(source, 'unsafeRawKv', 'must be true or false');
    const seal = sealStanza(raw['seal'], source);
    return ok({
      nodeId,
      dataDir: str(raw, 'dataDir', source, true) as string,
      clusterId: str(raw, 'clusterId', source, true) as string,
      clusterAddress,
      apiAddress: str(raw, 'apiAddress', source, false),
      bootstrap,
      join,
      tls: tlsFiles(raw, source),
      tickMs,
      electionTicks,
      heartbeatTicks,
      snapshotThresholdEntries: int(raw, 'snapshotThresholdEntries', source, DEFAULTS.snapshotThresholdEntries, 1, 1e9),
      snapshotTrailingEntries: int(raw, 'snapshotTrailingEntries', source, DEFAULTS.snapshotTrailingEntries, 0, 1e9),
      metricsAddress: str(raw, 'metricsAddress', source, false),
      unsafeFaultInjection: fault === true,
      unsafeRawKv: rawKv === true,
      seal,
      logLevel: logLevel as ServerConfig['logLevel'],
    });
  } catch (e: unknown) {
    if (e instanceof ConfigError) return err(e.error);
    throw e;
  }
}

function sealStanza(v: unknown, source: string): ServerConfig['seal'] {
  if (v === undefined) return undefined;
  if (!isObject(v)) fail(source, 'seal', 'must be an object like {"awskms": {"region": ..., "kms_key_id": ..., "endpoint": ...}}');
  const keys = Object.keys(v);
  if (keys.length !== 1 || !isObject(v['awskms'])) fail(source, 'seal', 'supports exactly one seal type: "awskms"');
  const aws = v['awskms'] as Raw;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(aws)) {
    if (!['region', 'kms_key_id', 'endpoint'].includes(k)) fail(source, `seal.awskms.${k}`, 'is not a known field (region, kms_key_id, endpoint; credentials come from the AWS environment)');
    if (typeof val !== 'string') fail(source, `seal.awskms.${k}`, 'must be a string');
    out[k] = val;
  }
  return { awskms: out };
}

class ConfigError extends Error {
  constructor(readonly error: CofferError) {
    super(error.message);
  }
}

function bad(source: string, field: string, what: string): Result<never> {
  return err(cofferError('invalid-request', `config (${source}): field "${field}" ${what}`));
}

function fail(source: string, field: string, what: string): never {
  throw new ConfigError(cofferError('invalid-request', `config (${source}): field "${field}" ${what}`));
}

function str(raw: Raw, field: string, source: string, isRequired: boolean): string | undefined {
  const v = raw[field];
  if (v === undefined || v === '') {
    if (isRequired) fail(source, field, `is required (set it in the config file or with --${kebab(field)})`);
    return undefined;
  }
  if (typeof v !== 'string') fail(source, field, 'must be a string');
  return v;
}

function int(raw: Raw, field: string, source: string, dflt: number, min: number, max: number): number {
  const v = raw[field];
  if (v === undefined) return dflt;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(source, field, `must be an integer in [${min}, ${max}]`);
  return n;
}

/** "n1=h:p,n2=h:p" or {"n1":"h:p"}. */
function peers(raw: Raw, field: string, source: string): ReadonlyMap<string, string> | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  const out = new Map<string, string>();
  const entries: [string, unknown][] =
    typeof v === 'string' ? v.split(',').filter((s) => s !== '').map((s) => [s.slice(0, s.indexOf('=')), s.indexOf('=') < 0 ? undefined : s.slice(s.indexOf('=') + 1)]) : isObject(v) ? Object.entries(v) : fail(source, field, 'must be "id=host:port,..." or an object {"id": "host:port"}');
  for (const [id, addr] of entries) {
    if (id === '' || typeof addr !== 'string' || !isHostPort(addr)) fail(source, field, `has a bad member "${id}": write id=host:port`);
    out.set(id, addr);
  }
  if (out.size === 0) fail(source, field, 'lists no members');
  return out;
}

function tlsFiles(raw: Raw, source: string): TlsFiles | undefined {
  const t = raw['tls'];
  if (t === undefined) return undefined;
  if (!isObject(t)) return fail(source, 'tls', 'must be an object {caFile, certFile, keyFile}');
  const f = (k: string): string => {
    const v = t[k];
    if (typeof v !== 'string' || v === '') fail(source, `tls.${k}`, 'is required when tls is set (a PEM file path)');
    return v;
  };
  return { caFile: f('caFile'), certFile: f('certFile'), keyFile: f('keyFile') };
}

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHostPort(s: string): boolean {
  const i = s.lastIndexOf(':');
  if (i <= 0) return false;
  const port = Number(s.slice(i + 1));
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

function setPath(o: Raw, path: string, v: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) {
    o[head] = v;
    return;
  }
  const inner = isObject(o[head]) ? (o[head] as Raw) : {};
  inner[tail] = v;
  o[head] = inner;
}

function kebab(field: string): string {
  return Object.entries(FLAG_TO_FIELD).find(([, f]) => f === field)?.[0].slice(2) ?? field;
}
