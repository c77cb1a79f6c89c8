import { describe, expect, it } from 'vitest';
import { Acl } from './acl.js';
import { parsePolicy } from './policy-parse.js';
import type { PathRule } from './policy-parse.js';
import { DEFAULT_POLICY_RULES, DEFAULT_POLICY_RULES_HCL } from './builtin-policies.js';

async function acl(...texts: string[]): Promise<Acl> {
  const rules: PathRule[] = [];
  for (const t of texts) {
    const p = await parsePolicy(t);
    if (!p.ok) throw new Error(p.error);
    rules.push(...p.rules);
  }
  return new Acl(rules);
}
const caps = (a: Acl, path: string): string[] => [...a.capabilities(path)].sort();

describe('ACL matching', () => {
  it('an exact path beats a glob that also matches it, in either order', async () => {
    const a = await acl('path "secret/data/*" { capabilities = ["read", "list"] }\npath "secret/data/app" { capabilities = ["update"] }');
    expect(caps(a, 'secret/data/app')).toEqual(['update']);
    expect(caps(a, 'secret/data/app2')).toEqual(['list', 'read']);
    expect(caps(a, 'secret/data/')).toEqual(['list', 'read']);
    const b = await acl('path "secret/data/app" { capabilities = ["update"] }\npath "secret/data/*" { capabilities = ["read"] }');
    expect(caps(b, 'secret/data/app')).toEqual(['update']);
  });

  it('the longer glob prefix wins, and replaces (does not add to) the shorter one', async () => {
    const a = await acl('path "secret/*" { capabilities = ["read"] }\npath "secret/data/team-*" { capabilities = ["update"] }');
    expect(caps(a, 'secret/data/team-a/x')).toEqual(['update']);
    expect(caps(a, 'secret/data/other')).toEqual(['read']);
  });

  it('+ matches exactly one non-empty segment', async () => {
    const a = await acl('path "secret/+/config" { capabilities = ["read"] }\npath "kv/+/+/x*" { capabilities = ["list"] }');
    expect(caps(a, 'secret/app/config')).toEqual(['read']);
    expect(caps(a, 'secret/a/b/config')).toEqual([]);
    expect(caps(a, 'secret/config')).toEqual([]);
    expect(caps(a, 'secret/app/config2')).toEqual([]);
    expect(caps(a, 'kv/a/b/xyz')).toEqual(['list']);
    expect(caps(a, 'kv/a/xyz')).toEqual([]);
  });

  it('Vault\'s priority rules between patterns', async () => {
    // 1: the later first wildcard wins
    const a = await acl('path "secret/+/data/*" { capabilities = ["read"] }\npath "secret/app/+/*" { capabilities = ["update"] }');
    expect(caps(a, 'secret/app/data/k')).toEqual(['update']);
    // 2: without a trailing glob beats with one (same first wildcard position)
    const b = await acl('path "secret/+/k" { capabilities = ["read"] }\npath "secret/+/*" { capabilities = ["update"] }');
    expect(caps(b, 'secret/app/k')).toEqual(['read']);
    // 3: fewer + segments win
    const c = await acl('path "s/+/+/*" { capabilities = ["read"] }\npath "s/+/x/*" { capabilities = ["update"] }');
    expect(caps(c, 's/a/x/y')).toEqual(['update']);
  });

  it('deny on the deciding path overrides every grant merged into it, from any policy', async () => {
    const a = await acl('path "secret/data/*" { capabilities = ["read", "update"] }', 'path "secret/data/*" { capabilities = ["deny"] }\npath "secret/data/ok" { capabilities = ["read"] }');
    expect(caps(a, 'secret/data/x')).toEqual(['deny']);
    expect(a.allows('secret/data/x', 'read')).toBe(false);
    // A more specific grant still beats a broader deny (Vault: the most specific path decides).
    expect(a.allows('secret/data/ok', 'read')).toBe(true);
    const b = await acl('path "secret/data/ok" { capabilities = ["read"] }', 'path "secret/data/ok" { capabilities = ["deny", "read"] }');
    expect(b.allows('secret/data/ok', 'read')).toBe(false);
  });

  it('grants merge across policies on the same path; nothing matches = nothing allowed', async () => {
    const a = await acl('path "secret/x" { capabilities = ["read"] }', 'path "secret/x" { capabilities = ["update"] }');
    expect(caps(a, 'secret/x')).toEqual(['read', 'update']);
    expect(caps(a, 'secret/y')).toEqual([]);
    expect(caps(a, 'other')).toEqual([]);
  });

  it('LIST on dir/ also honours an exact rule for dir', async () => {
    const a = await acl('path "secret/metadata/app" { capabilities = ["list"] }');
    expect(a.allows('secret/metadata/app/', 'list')).toBe(true);
    expect(a.allows('secret/metadata/app/', 'read')).toBe(false);
  });

  it('root allows everything, sudo included', () => {
    const a = new Acl([], true);
    expect(a.allows('anything/at/all', 'sudo')).toBe(true);
  });
});

describe('policy parsing', () => {
  it('HCL and JSON forms give the same rules; legacy policy = "write" maps to capabilities', async () => {
    const hcl = await parsePolicy('# c\npath "secret/*" {\n  capabilities = ["read", "list"]\n}\npath "a" { policy = "write" }\n');
    const json = await parsePolicy('{"path": {"secret/*": {"capabilities": ["read", "list"]}, "a": {"policy": "write"}}}');
    expect(hcl).toEqual(json);
    expect(hcl.ok && hcl.rules[0]).toEqual({ path: 'a', capabilities: ['create', 'read', 'update', 'patch', 'delete', 'list'] });
  });

  it('a malformed policy is an error naming the line', async () => {
    const cases: Array<[string, RegExp]> = [
      ['path "a" {\n  capabilities = ["read"]\n}\npath "b" {\n  capabilities = ["read"\n}\n', /At 6:1: /],
      ['path "a" {\n  capabilities = ["read"]\n}\n}\n', /At 4:1: /],
      ['{\n "path": {\n  "a": {"capabilities": ["read"],}\n }\n}', /At 3:/],
    ];
    for (const [text, where] of cases) {
      const p = await parsePolicy(text);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.error).toMatch(where);
    }
  });

  it('bad capabilities, misplaced globs and unknown keys are rejected', async () => {
    for (const [text, message] of [
      ['path "a" { capabilities = ["reed"] }', /invalid capability "reed"/],
      ['path "a" { capabilities = [read] }', /invalid capability/],
      ['path "a/*/b" { capabilities = ["read"] }', /only allowed at the end/],
      ['path "a/b+/c" { capabilities = ["read"] }', /whole path segment/],
      ['path "a" { capabilites = ["read"] }', /unknown key "capabilites"/],
      ['', /empty/],
    ] as const) {
      const p = await parsePolicy(text);
      expect(p.ok ? 'parsed' : p.error).toMatch(message);
    }
  });

  it('the built-in default policy text parses to the rules the code uses', async () => {
    expect(await parsePolicy(DEFAULT_POLICY_RULES_HCL)).toEqual({ ok: true, rules: [...DEFAULT_POLICY_RULES].sort((a, b) => (a.path < b.path ? -1 : 1)) });
  });
});
