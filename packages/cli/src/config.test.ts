import { describe, expect, it } from 'vitest';
import { parseServerArgs } from './config.js';

const base = ['--node-id', 'n1', '--data-dir', '/tmp/x', '--cluster-id', 'c', '--cluster-address', '127.0.0.1:7001'];

describe('parseServerArgs', () => {
  it('merges the config file with flags (flags win) and fills the defaults', () => {
    const file = JSON.stringify({ nodeId: 'n9', dataDir: '/d', clusterId: 'c', clusterAddress: '127.0.0.1:1', tickMs: 20, bootstrap: { n1: '127.0.0.1:7001', n2: '127.0.0.1:7002' } });
    const r = parseServerArgs(['--config', 'c.json', '--node-id', 'n1', '--election-ticks=8'], () => file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.nodeId).toBe('n1');
    expect(r.value.tickMs).toBe(20);
    expect(r.value.electionTicks).toBe(8);
    expect(r.value.heartbeatTicks).toBe(1);
    expect([...(r.value.bootstrap ?? new Map()).keys()]).toEqual(['n1', 'n2']);
  });

  it('parses --bootstrap lists and the unsafe flag', () => {
    const r = parseServerArgs([...base, '--bootstrap', 'n1=127.0.0.1:7001,n2=127.0.0.1:7002', '--unsafe-fault-injection']);
    expect(r.ok && r.value.unsafeFaultInjection).toBe(true);
    expect(r.ok && r.value.bootstrap?.get('n2')).toBe('127.0.0.1:7002');
  });

  it.each([
    [['--node-id', 'n1'], /field "clusterAddress" is required/],
    [[...base, '--bootstrap', 'n2=127.0.0.1:7002'], /field "bootstrap" must list this node/],
    [[...base, '--bootstrap', 'n1=nope'], /field "bootstrap" has a bad member "n1"/],
    [[...base, '--heartbeat-ticks', '9'], /field "heartbeatTicks" must be below electionTicks/],
    [[...base, '--tick-ms', 'fast'], /field "tickMs" must be an integer/],
    [[...base, '--frobnicate', '1'], /unknown flag --frobnicate/],
    [[...base, '--join', 'n2=127.0.0.1:2', '--bootstrap', 'n1=127.0.0.1:7001'], /field "join" cannot be combined/],
  ])('names the field that is wrong: %j', (args, message) => {
    const r = parseServerArgs(args);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(message);
  });

  it('reports a corrupt or missing config file with its path and what to do', () => {
    const corrupt = parseServerArgs(['--config', 'bad.json'], () => '{"nodeId": ');
    expect(!corrupt.ok && corrupt.error.message).toMatch(/bad\.json is not valid JSON.*fix the file/);
    const missing = parseServerArgs(['--config', 'gone.json'], () => {
      throw Object.assign(new Error('x'), { code: 'ENOENT' });
    });
    expect(!missing.ok && missing.error.message).toMatch(/gone\.json cannot be read \(ENOENT\); check the --config path/);
    const unknown = parseServerArgs(['--config', 'u.json'], () => JSON.stringify({ nodeID: 'n1' }));
    expect(!unknown.ok && unknown.error.message).toMatch(/field "nodeID" is not a known field/);
  });
});
