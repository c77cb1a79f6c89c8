/**
 * Parses an ACL policy, in Vault's HCL syntax or its JSON twin, into path rules:
 *
 *   path "secret/data/app/*" { capabilities = ["read", "list"] }
 *   {"path": {"secret/data/app/*": {"capabilities": ["read", "list"]}}}
 *
 * HCL goes through `@cdktf/hcl2json` (HashiCorp's own hcl/v2 parser compiled to WebAssembly), so
 * syntax errors carry hcl's own `line,column` position; we reword it as Vault's `At L:C:`.
 * Runs on the leader when a policy is written; the parsed rules are what gets stored, so requests
 * never re-parse. The legacy `policy = "read" | "write" | "deny" | "sudo"` shorthand is accepted.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import type { Capability } from '../logical/types.js';

export interface PathRule {
  /** As written: `*` only as the last character (prefix glob), `+` as a whole segment. */
  readonly path: string;
  readonly capabilities: readonly Capability[];
}

export type ParseResult = { readonly ok: true; readonly rules: PathRule[] } | { readonly ok: false; readonly error: string };

export const CAPABILITIES: readonly Capability[] = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny'];

const LEGACY_POLICY: Readonly<Record<string, readonly Capability[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'patch', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo'],
};

/** Keys Vault accepts in a path block; parameter constraints are parsed but not enforced here. */
const KNOWN_BLOCK_KEYS = new Set(['capabilities', 'policy', 'allowed_parameters', 'denied_parameters', 'required_parameters', 'min_wrapping_ttl', 'max_wrapping_ttl']);

const fail = (error: string): ParseResult => ({ ok: false, error: `failed to parse policy: ${error}` });

export async function parsePolicy(text: string): Promise<ParseResult> {
  if (text.trim() === '') return fail('policy is empty');
  let doc: unknown;
  if (text.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(text) as unknown;
    } catch (e: unknown) {
      return fail(jsonErrorWithLine(text, e));
    }
  } else {
    try {
      doc = await parseHcl('policy.hcl', text);
    } catch (e: unknown) {
      return fail(hclError(e));
    }
  }
  return rulesOf(doc);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rulesOf(doc: unknown): ParseResult {
  if (!isObject(doc)) return fail('expected an object of path blocks');
  for (const key of Object.keys(doc)) if (key !== 'path' && key !== 'name') return fail(`unknown top-level key "${key}"`);
  const paths = doc['path'] ?? {};
  // hcl2json renders each block as an array of bodies; JSON policies may use either form.
  const entries: Array<[string, unknown]> = Array.isArray(paths) ? paths.flatMap((p) => (isObject(p) ? Object.entries(p) : [['', p]])) : isObject(paths) ? Object.entries(paths) : [];
  if (!isObject(paths) && !Array.isArray(paths)) return fail('"path" must be a set of blocks');
  const rules: PathRule[] = [];
  for (const [path, raw] of entries) {
    const bodies = Array.isArray(raw) ? raw : [raw];
    for (const body of bodies) {
      const rule = ruleOf(path, body);
      if ('error' in rule) return fail(rule.error);
      rules.push(rule);
    }
  }
  // Rule order carries no meaning; sorted so HCL (which hcl2json sorts) and JSON agree.
  return { ok: true, rules: rules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

function ruleOf(path: string, body: unknown): PathRule | { error: string } {
  const where = `path "${path}"`;
  if (path === '' && !isObject(body)) return { error: 'a path block needs a path string' };
  const glob = path.indexOf('*');
  if (glob >= 0 && glob !== path.length - 1) return { error: `${where}: "*" is only allowed at the end of a path` };
  if ((glob >= 0 ? path.slice(0, -1) : path).split('/').some((seg) => seg.includes('+') && seg !== '+')) return { error: `${where}: "+" must be a whole path segment` };
  if (!isObject(body)) return { error: `${where}: expected a block` };
  for (const key of Object.keys(body)) if (!KNOWN_BLOCK_KEYS.has(key)) return { error: `${where}: unknown key "${key}"` };
  const caps = new Set<Capability>();
  const legacy = body['policy'];
  if (legacy !== undefined) {
    const mapped = typeof legacy === 'string' ? LEGACY_POLICY[legacy] : undefined;
    if (mapped === undefined) return { error: `${where}: invalid policy "${String(legacy)}"` };
    mapped.forEach((c) => caps.add(c));
  }
  const list = body['capabilities'];
  if (list !== undefined) {
    if (!Array.isArray(list)) return { error: `${where}: capabilities must be a list of strings` };
    for (const c of list) {
      if (typeof c !== 'string' || !(CAPABILITIES as readonly string[]).includes(c)) return { error: `${where}: invalid capability ${JSON.stringify(c)}` };
      caps.add(c as Capability);
    }
  }
  const capabilities = caps.has('deny') ? (['deny'] as Capability[]) : CAPABILITIES.filter((c) => caps.has(c));
  return { path: path.startsWith('/') ? path.slice(1) : path, capabilities };
}

/** hcl reports `[policy.hcl:3,1-2: Summary; Detail]`; Vault says `At 3:1: ...`. */
function hclError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const m = /policy\.hcl:(\d+),(\d+)(?:-\d+)?: ([^\]]*)/.exec(message);
  if (m === null) return message.replace(/^parse config: /, '');
  return `At ${m[1]}:${m[2]}: ${m[3]}`;
}

function jsonErrorWithLine(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(message);
  if (pos === null) return `invalid JSON: ${message}`;
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `At ${line}:${col}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}
