import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsUnder, resolveCommand } from './table.js';

describe('the command table', () => {
  it('resolves the longest run of words that names a command', () => {
    const r = resolveCommand(['operator', 'raft', 'snapshot', 'save', 'f.snap', '-format=json']);
    expect(r.command?.path).toBe('operator raft snapshot save');
    expect(r.rest).toEqual(['f.snap', '-format=json']);
    expect(resolveCommand(['kv', 'metadata', 'get', 'secret/a']).command?.path).toBe('kv metadata get');
    expect(resolveCommand(['kv', 'get', 'metadata']).command?.path).toBe('kv get');
    expect(resolveCommand(['status', '-address=x']).rest).toEqual(['-address=x']);
  });

  it('stops at a raw command: its arguments are its own', () => {
    const r = resolveCommand(['server', 'status']);
    expect(r.command?.path).toBe('server');
    expect(r.rest).toEqual(['status']);
  });

  it('names a group without a command, and lists what is under it', () => {
    const r = resolveCommand(['operator', 'raft', 'bogus']);
    expect(r.command).toBeUndefined();
    expect(r.words).toEqual(['operator', 'raft']);
    expect(commandsUnder(['operator', 'raft']).map((c) => c.name)).toEqual(['list-peers', 'join', 'remove-peer', 'snapshot', 'autopilot']);
  });

  it('has unique paths, each with a synopsis', () => {
    const paths = COMMANDS.map((c) => c.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const c of COMMANDS) expect(c.synopsis, c.path).not.toBe('');
  });
});
