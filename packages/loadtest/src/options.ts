/**
 * `coffer loadtest` flags, parsed into `LoadtestOptions`. Bad input gets an error naming the flag,
 * what was wrong and what to do; nothing runs.
 */
import { cofferError, err, ok, type Result } from '@coffer/base';
import { FAULT_KINDS, type FaultKind } from './types.js';

export interface WorkloadOptions {
  readonly clients: number;
  /** Measured duration (after the warm-up); the run also stops after `maxOps` measured ops. */
  readonly durationMs: number;
  readonly maxOps: number | null;
  readonly warmupMs: number;
  readonly keys: number;
  readonly valueSizeBytes: number;
  /** Fractions of reads and transit encrypts; the rest are KV writes. */
  readonly readRatio: number;
  readonly encryptRatio: number;
  readonly opTimeoutMs: number;
  readonly seed: number;
}

export interface FailoverOptions {
  /** The kinds injected in turn (fault k is kinds[k mod n]); empty: no failover. */
  readonly kinds: readonly FaultKind[];
  readonly everyMs: number;
  /** How long a killed/paused/partitioned leader stays down. */
  readonly downForMs: number;
  readonly command: string | null;
}

export interface LoadtestOptions {
  readonly workload: WorkloadOptions;
  readonly failover: FailoverOptions;
  readonly spawn: number | null;
  readonly addresses: readonly string[];
  readonly token: string | null;
  readonly outDir: string | null;
  readonly checkTimeoutMs: number;
}

export const LOADTEST_USAGE = `usage: coffer loadtest (--spawn 3|5 | --addr URL[,URL...] [--token T]) [flags]
Drives KV v2 reads/writes and transit encrypts through the HTTP API while the leader fails, then
checks the recorded history (linearizability, per key) and that every acknowledged write survived.
  --spawn N              run a local N-node cluster on 127.0.0.1 (temp dir, removed at the end)
  --addr URLS            an existing cluster's HTTP API (comma-separated); --token or COFFER_TOKEN/VAULT_TOKEN
  --duration D           measured time, e.g. 60s, 2m (default 30s)   --ops N  stop after N measured ops
  --warmup D             unmeasured warm-up before faults start (default 2s)
  --clients N            concurrent clients (default 8)
  --keys N               key space size (default 100)   --value-size BYTES  (default 64)
  --read-ratio F         fraction of reads (default 0.45)   --encrypt-ratio F  transit encrypts (default 0.1)
  --op-timeout D         per-request client timeout (default 60s); a timed-out write is indeterminate
  --failover KINDS       none, or kill|pause|step-down|partition|command, or a list taken in turn
                         (kill,pause,partition); kill, pause, partition need --spawn
  --every D              inject a fault on the leader every D (default 10s)
  --down-for D           keep a killed/paused/partitioned leader down this long (default min(every/2, 5s))
  --fault-command CMD    shell command run on each fault, {node} = the leader (implies --failover command)
  --out DIR              where report.json and report.html go (default ./loadtest-<time>)
  --check-timeout D      time bound of the linearizability check (default 60s); past it: "unknown"
  --seed N               workload random seed (default: from the time)
exit codes: 0 both verdicts pass, 1 a verdict fails, 2 usage error, 3 a verdict is unknown
(the check ran out of time, or the final reads could not be made), 4 the run itself failed.`;

const VALUE_FLAGS = new Set([
  '--spawn', '--addr', '--token', '--duration', '--ops', '--warmup', '--clients', '--keys', '--value-size', '--read-ratio',
  '--encrypt-ratio', '--op-timeout', '--failover', '--every', '--down-for', '--fault-command', '--out', '--check-timeout', '--seed',
]);

/** "60s", "1.5m", "500ms", "2h"; a bare number is seconds. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(n * factor);
}

type Flags = Map<string, string>;

export function parseLoadtestArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Result<LoadtestOptions> {
  const flags: Flags = new Map();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!VALUE_FLAGS.has(flag)) return usage(`unknown flag ${flag}; see \`coffer loadtest --help\``);
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) return usage(`flag ${flag} needs a value`);
    flags.set(flag, value);
  }
  try {
    return ok(build(flags, env));
  } catch (e: unknown) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
}

class UsageError extends Error {}

function build(f: Flags, env: Readonly<Record<string, string | undefined>>): LoadtestOptions {
  const spawnText = f.get('--spawn');
  const addrText = f.get('--addr');
  if ((spawnText === undefined) === (addrText === undefined)) throw new UsageError('give exactly one of --spawn N (a local cluster) or --addr URL (an existing one)');
  const spawn = spawnText === undefined ? null : int(f, '--spawn', 0, 1, 7);
  const addresses = addrText === undefined ? [] : addrText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const a of addresses) if (!/^https?:\/\/[^/\s]+\/?$/.test(a)) throw new UsageError(`--addr: "${a}" is not a URL like http://127.0.0.1:8200`);
  if (addrText !== undefined && addresses.length === 0) throw new UsageError('--addr needs at least one URL');
  const token = f.get('--token') ?? env['COFFER_TOKEN'] ?? env['VAULT_TOKEN'] ?? null;
  if (addresses.length > 0 && token === null) throw new UsageError('--addr needs a token: --token, or COFFER_TOKEN / VAULT_TOKEN in the environment');

  const command = f.get('--fault-command') ?? null;
  const kindText = f.get('--failover') ?? (command !== null ? 'command' : 'none');
  const kinds: FaultKind[] = [];
  if (kindText !== 'none') {
    for (const k of kindText.split(',').map((x) => x.trim())) {
      if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new UsageError(`--failover takes none or a comma-separated list of ${FAULT_KINDS.join(', ')}; got "${k}"`);
      kinds.push(k as FaultKind);
    }
  }
  if (kinds.includes('command') && command === null) throw new UsageError('--failover command needs --fault-command \'... {node} ...\'');
  if (command !== null && !kinds.includes('command')) throw new UsageError(`--fault-command goes with --failover command, not ${kindText}`);
  const needsSpawn = kinds.find((k) => k === 'kill' || k === 'pause' || k === 'partition');
  if (spawn === null && needsSpawn !== undefined) {
    throw new UsageError(`--failover ${needsSpawn} needs a cluster this command spawned (--spawn N); against --addr use step-down or --fault-command`);
  }
  const everyMs = dur(f, '--every', 10_000, 100);
  const downForMs = dur(f, '--down-for', Math.min(Math.floor(everyMs / 2), 5000), 0);
  if (kinds.length > 0 && downForMs >= everyMs) throw new UsageError(`--down-for (${downForMs} ms) must be shorter than --every (${everyMs} ms)`);

  const readRatio = ratio(f, '--read-ratio', 0.45);
  const encryptRatio = ratio(f, '--encrypt-ratio', 0.1);
  if (readRatio + encryptRatio > 1) throw new UsageError('--read-ratio plus --encrypt-ratio must be at most 1 (the rest are writes)');
  const opsText = f.get('--ops');
  const workload: WorkloadOptions = {
    clients: int(f, '--clients', 8, 1, 1000),
    durationMs: dur(f, '--duration', opsText === undefined ? 30_000 : 24 * 3_600_000, 1000),
    maxOps: opsText === undefined ? null : int(f, '--ops', 0, 1, 100_000_000),
    warmupMs: dur(f, '--warmup', 2000, 0),
    keys: int(f, '--keys', 100, 1, 1_000_000),
    valueSizeBytes: int(f, '--value-size', 64, 16, 1_048_576),
    readRatio,
    encryptRatio,
    opTimeoutMs: dur(f, '--op-timeout', 60_000, 10),
    seed: int(f, '--seed', Date.now() % 1_000_000_007, 0, Number.MAX_SAFE_INTEGER),
  };
  return {
    workload,
    failover: { kinds, everyMs, downForMs, command },
    spawn,
    addresses,
    token,
    outDir: f.get('--out') ?? null,
    checkTimeoutMs: dur(f, '--check-timeout', 60_000, 100),
  };
}

function int(f: Flags, flag: string, dflt: number, min: number, max: number): number {
  const t = f.get(flag);
  if (t === undefined) return dflt;
  const n = Number(t);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${t}"`);
  return n;
}

function dur(f: Flags, flag: string, dflt: number, minMs: number): number {
  const t = f.get(flag);
  if (t === undefined) return dflt;
  const ms = parseDurationMs(t);
  if (ms === undefined || ms < minMs) throw new UsageError(`${flag} must be a duration of at least ${minMs} ms like 500ms, 10s or 2m, got "${t}"`);
  return ms;
}

function ratio(f: Flags, flag: string, dflt: number): number {
  const t = f.get(flag);
  if (t === undefined) return dflt;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0 || n > 1 || t.trim() === '') throw new UsageError(`${flag} must be a number from 0 to 1, got "${t}"`);
  return n;
}

function usage(message: string): Result<LoadtestOptions> {
  return err(cofferError('invalid-request', message));
}
