import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devBanner } from './dev-banner.js';
import { readDevKeys, writeDevEnv, writeDevKeys } from './dev-keys.js';
import { checkPortsFree } from './dev-ports.js';

const dir = mkdtempSync(join(tmpdir(), 'coffer-dev-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = { unsealKey: 'ab'.repeat(32), rootToken: 'hvs.rootTOKEN' };

describe('dev-keys.json and dev.env', () => {
  it('round-trips the key file, written 0600 even over a world-readable file', () => {
    const p = join(dir, 'dev-keys.json');
    writeFileSync(p, 'old', { mode: 0o644 });
    writeDevKeys(p, keys);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readDevKeys(p)).toEqual({ ok: true, value: keys });
    expect(readFileSync(p, 'utf8')).toContain('DEVELOPMENT ONLY');
  });

  it('a missing file is "none", a damaged one an error that does not echo its content', () => {
    expect(readDevKeys(join(dir, 'absent.json'))).toEqual({ ok: true, value: undefined });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"unseal_key": "s3cr3t-share"');
    const r = readDevKeys(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe('is not valid JSON');
      expect(r.error.message).not.toContain('s3cr3t');
    }
    writeFileSync(bad, '{"unseal_key": "s3cr3t-share"}');
    const partial = readDevKeys(bad);
    expect(partial.ok ? undefined : partial.error.message).toBe('does not hold "unseal_key" and "root_token"');
    expect(readDevKeys(dir).ok).toBe(false); // a directory: EISDIR, not "missing"
  });

  it('dev.env holds exactly the two export lines, 0600', () => {
    const p = join(dir, 'dev.env');
    writeDevEnv(p, 'http://127.0.0.1:8200', keys.rootToken);
    expect(readFileSync(p, 'utf8')).toBe('export COFFER_ADDR=http://127.0.0.1:8200\nexport COFFER_TOKEN=hvs.rootTOKEN\n');
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });
});

describe('the banner', () => {
  it('prints the export lines alone on their lines, the key, the token, the warning and the three examples', () => {
    const text = devBanner({
      nodes: [{ id: 'n1', apiAddress: '127.0.0.1:8200', clusterAddress: '127.0.0.1:8201', logFile: '/repo/.coffer/dev/n1.log' }],
      leaderId: 'n1',
      dataDir: '/repo/.coffer/dev',
      envFile: '/repo/.coffer/dev/dev.env',
      keysFile: '/repo/.coffer/dev/dev-keys.json',
      keys,
      isFresh: true,
      address: 'http://127.0.0.1:8200',
      cwd: '/repo',
      cliMain: '/repo/packages/cli/dist/main.js',
    });
    const lines = text.split('\n');
    expect(lines).toContain('export COFFER_ADDR=http://127.0.0.1:8200');
    expect(lines).toContain('export COFFER_TOKEN=hvs.rootTOKEN');
    expect(lines).toContain(`Unseal Key: ${keys.unsealKey}`);
    expect(lines).toContain('    source .coffer/dev/dev.env');
    expect(lines).toContain("    alias coffer='node /repo/packages/cli/dist/main.js'");
    for (const c of ['    coffer kv put secret/hello foo=world', '    coffer kv get secret/hello', '    coffer status']) expect(lines).toContain(c);
    expect(text).toContain('should NOT be used in production');
  });
});

describe('port check', () => {
  it('names the port in use and what it was for', async () => {
    const s: Server = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const addr = s.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    try {
      const r = await checkPortsFree([{ port, purpose: 'n1 HTTP API' }], port);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(`127.0.0.1:${port} (n1 HTTP API) is already in use`);
    } finally {
      await new Promise((r) => s.close(r));
    }
    expect((await checkPortsFree([{ port, purpose: 'n1 HTTP API' }], port)).ok).toBe(true);
  });
});
