import { describe, expect, it } from 'vitest';
import { CofferClient } from '@coffer/client';
import { parseArgs } from './args.js';
import type { Ctx } from './command.js';
import { fakeIo } from './fake-io.test-helper.js';
import { apiPath, kvTarget, MOUNT_FLAG, versionsOf } from './kv-paths.js';

function ctx(argv: string[]): Ctx {
  const r = parseArgs(argv, { mount: MOUNT_FLAG, versions: { kind: 'list', usage: '' } });
  if (!r.ok) throw new Error(r.error);
  return { io: fakeIo(), args: r.value, format: 'table', address: 'http://x', client: new CofferClient({ env: {} }), hasToken: true };
}

describe('kv paths (vault path style, or -mount)', () => {
  it('reads the mount from the first segment without -mount, and from -mount with it', () => {
    expect(kvTarget(ctx([]), 'secret/app/db')).toEqual({ mount: 'secret', path: 'app/db' });
    expect(kvTarget(ctx(['-mount=kv2']), 'app/db')).toEqual({ mount: 'kv2', path: 'app/db' });
    expect(kvTarget(ctx(['-mount=secret']), 'secret/db')).toEqual({ mount: 'secret', path: 'secret/db' });
    expect(kvTarget(ctx([]), '/secret/app/')).toEqual({ mount: 'secret', path: 'app' });
  });

  it('puts a slash-less path in the default mount, except for list where it names the mount', () => {
    expect(kvTarget(ctx([]), 'db')).toEqual({ mount: 'secret', path: 'db' });
    expect(kvTarget(ctx([]), 'kv2', { allowRoot: true })).toEqual({ mount: 'kv2', path: '' });
    expect(kvTarget(ctx([]), 'secret/', { allowRoot: true })).toEqual({ mount: 'secret', path: '' });
    expect(kvTarget(ctx([]), undefined, { allowRoot: true })).toEqual({ mount: 'secret', path: '' });
  });

  it('refuses a missing secret path and bad versions; builds the API paths', () => {
    expect(() => kvTarget(ctx([]), 'secret/')).toThrow(/no secret path/);
    expect(() => versionsOf(ctx(['-versions=1,x']))).toThrow(/version numbers/);
    expect(versionsOf(ctx(['-versions=1,2', '-versions', '3']))).toEqual([1, 2, 3]);
    expect(apiPath({ mount: 'secret', path: 'a/b' }, 'destroy')).toBe('secret/destroy/a/b');
    expect(apiPath({ mount: 'secret', path: '' }, 'metadata')).toBe('secret/metadata/');
  });
});
