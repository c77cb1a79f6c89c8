/** The CLI as users run it: a real process, its exact closing line, and byte-for-byte replay. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function sim(args: readonly string[]): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--conditions=@coffer/source', '--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: r.stdout, status: r.status };
}

describe('npm run sim', () => {
  it('replays a seed byte for byte, trace included, and ends with the summary line', () => {
    const a = sim(['--seed', '7', '--verbose']);
    const b = sim(['--seed', '7', '--verbose']);
    expect(a.status).toBe(0);
    expect(a.stdout.split('\n').length).toBeGreaterThan(1000);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout.trimEnd().split('\n').at(-1)).toBe('sim: 1 seeds, 0 violations');
  }, 60_000);

  it('sweeps a range and refuses unknown options', () => {
    const ok = sim(['--seeds', '5', '--start', '100', '--faults', 'crash,drop']);
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe('sim: 5 seeds, 0 violations');
    expect(sim(['--faults', 'meteor']).status).toBe(2);
  }, 60_000);
});
