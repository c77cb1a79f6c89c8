import { describe, expect, it } from 'vitest';
import { UsageError } from './command.js';
import { fakeIo } from './fake-io.test-helper.js';
import { buildData } from './values.js';

describe('buildData (vault kvbuilder)', () => {
  it('reads k=v, k=@file and k=- byte-exact; a repeated key becomes a list', async () => {
    const io = fakeIo({ stdin: 'from stdin\n' });
    io.files.set('pw.txt', Buffer.from('p@ss=word\n'));
    expect(await buildData(['a=1', 'b=@pw.txt', 'c=-', 'd=x=y', 'a=2'], io)).toEqual({ a: ['1', '2'], b: 'p@ss=word\n', c: 'from stdin\n', d: 'x=y' });
  });

  it('merges a JSON object from a lone - or @file.json', async () => {
    const io = fakeIo({ stdin: '{"k":"v","n":1}' });
    io.files.set('d.json', Buffer.from('{"f":true}'));
    expect(await buildData(['-', '@d.json'], io)).toEqual({ k: 'v', n: 1, f: true });
  });

  it('refuses a pair without "=", stdin twice, a missing file; without echoing the argument', async () => {
    const bad = await buildData(['hunter2'], fakeIo()).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(UsageError);
    expect((bad as Error).message).not.toContain('hunter2');
    await expect(buildData(['a=-', 'b=-'], fakeIo())).rejects.toThrow(/only once/);
    await expect(buildData(['a=@missing'], fakeIo())).rejects.toThrow('cannot read missing: ENOENT');
    await expect(buildData(['-'], fakeIo({ stdin: '[1]' }))).rejects.toThrow('must hold a JSON object');
  });
});
