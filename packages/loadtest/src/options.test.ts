import { describe, expect, it } from 'vitest';
import { CofferApiError } from '@coffer/client';
import { classifyError } from './classify-error.js';
import { parseDurationMs, parseLoadtestArgs } from './options.js';

describe('coffer loadtest flags', () => {
  it('parses durations with units', () => {
    expect([parseDurationMs('60s'), parseDurationMs('1.5m'), parseDurationMs('250ms'), parseDurationMs('10'), parseDurationMs('x')]).toEqual([60_000, 90_000, 250, 10_000, undefined]);
  });

  it('reads a spawn run with a failover', () => {
    const r = parseLoadtestArgs(['--spawn', '3', '--duration', '60s', '--failover', 'kill', '--every=10s', '--op-timeout', '5s']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.spawn).toBe(3);
    expect(r.value.failover).toEqual({ kinds: ['kill'], everyMs: 10_000, downForMs: 5000, command: null });
    expect(r.value.workload).toMatchObject({ durationMs: 60_000, opTimeoutMs: 5000, clients: 8, keys: 100 });
  });

  it('takes a list of fault kinds, injected in turn', () => {
    const r = parseLoadtestArgs(['--spawn', '5', '--failover', 'kill,pause,partition,step-down', '--every', '4s']);
    expect(r.ok && r.value.failover).toMatchObject({ kinds: ['kill', 'pause', 'partition', 'step-down'], everyMs: 4000, downForMs: 2000 });
  });

  it('takes the token of an --addr run from the environment, and --fault-command implies the command kind', () => {
    const r = parseLoadtestArgs(['--addr', 'http://127.0.0.1:8200', '--fault-command', 'kubectl delete pod {node}'], { VAULT_TOKEN: 't' });
    expect(r.ok && r.value.token === 't' && r.value.failover.kinds.join() === 'command').toBe(true);
  });

  it.each([
    [[], /exactly one of --spawn/],
    [['--spawn', '3', '--addr', 'http://x:1'], /exactly one of --spawn/],
    [['--addr', 'http://127.0.0.1:8200'], /needs a token/],
    [['--addr', 'localhost:8200', '--token', 't'], /not a URL/],
    [['--addr', 'http://h:1', '--token', 't', '--failover', 'kill'], /needs a cluster this command spawned/],
    [['--spawn', '3', '--failover', 'crash'], /comma-separated list of kill/],
    [['--spawn', '3', '--failover', 'kill,bogus'], /got "bogus"/],
    [['--spawn', '3', '--failover', 'kill', '--every', '2s', '--down-for', '3s'], /shorter than --every/],
    [['--spawn', '3', '--read-ratio', '0.8', '--encrypt-ratio', '0.3'], /at most 1/],
    [['--spawn', '0'], /--spawn must be a whole number from 1 to 7/],
    [['--spawn', '3', '--duration', 'soon'], /--duration must be a duration/],
    [['--spawn', '3', '--bogus', '1'], /unknown flag --bogus/],
    [['--spawn'], /needs a value/],
  ])('refuses %j with a message saying what to do', (args, message) => {
    const r = parseLoadtestArgs(args);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(message);
  });
});

describe('what an error means for the history', () => {
  it('treats only provably unsent or refused requests as definite failures', () => {
    const e = (status: number, kind: CofferApiError['kind'], errors: string[] = []): CofferApiError => new CofferApiError(status, errors, kind, 'PUT /v1/secret/data/k');
    expect(classifyError(e(0, 'network', ['connect ECONNREFUSED 127.0.0.1:1']))).toEqual({ outcome: 'fail', label: 'refused' });
    expect(classifyError(e(0, 'network', ['read ECONNRESET']))).toEqual({ outcome: 'indeterminate', label: 'network:ECONNRESET' });
    expect(classifyError(e(0, 'timeout'))).toEqual({ outcome: 'indeterminate', label: 'timeout' });
    expect(classifyError(e(503, 'http', ['Vault is sealed']))).toEqual({ outcome: 'fail', label: 'sealed' });
    expect(classifyError(e(503, 'http', ['no leader']))).toEqual({ outcome: 'indeterminate', label: 'http-503' });
    expect(classifyError(e(400, 'http'))).toEqual({ outcome: 'fail', label: 'http-400' });
    expect(classifyError(new Error('boom')).outcome).toBe('indeterminate');
  });
});
