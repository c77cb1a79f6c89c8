/**
 * Where policies live: `core/policies/acl/<name>` holds `{name, rules, paths}` (the text as
 * written and its parsed rules, so requests never re-parse). `root` is built in and immutable;
 * `default` is built in until an operator overwrites it.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import type { StorageView } from '../logical/types.js';
import { isObject } from '../logical/params.js';
import { Acl } from './acl.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_RULES, DEFAULT_POLICY_RULES_HCL, ROOT_POLICY } from './builtin-policies.js';
import type { PathRule } from './policy-parse.js';

export const POLICY_PREFIX = 'core/policies/acl/';

export interface StoredPolicy {
  readonly name: string;
  readonly rules: string;
  readonly paths: readonly PathRule[];
}

export function readPolicy(view: StorageView, name: string): Result<StoredPolicy | undefined> {
  if (name === ROOT_POLICY) return ok({ name, rules: '', paths: [] });
  const raw = view.getJson(`${POLICY_PREFIX}${name}`);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok(name === DEFAULT_POLICY ? { name, rules: DEFAULT_POLICY_RULES_HCL, paths: DEFAULT_POLICY_RULES } : undefined);
  const v = raw.value;
  if (!isObject(v) || typeof v['rules'] !== 'string' || !Array.isArray(v['paths'])) return err(cofferError('internal', `corrupt policy record "${name}"`));
  return ok(v as unknown as StoredPolicy);
}

export function writePolicy(view: StorageView, policy: StoredPolicy): Result<void> {
  return view.putJson(`${POLICY_PREFIX}${policy.name}`, policy);
}

/** Names of every policy, built-ins included, sorted. */
export function listPolicies(view: StorageView): string[] {
  return [...new Set([DEFAULT_POLICY, ROOT_POLICY, ...view.listChildren(POLICY_PREFIX).filter((n) => !n.endsWith('/'))])].sort();
}

/** The ACL of a set of policy names; unknown names contribute nothing (as in Vault). */
export function aclFor(view: StorageView, names: readonly string[]): Result<Acl> {
  if (names.includes(ROOT_POLICY)) return ok(new Acl([], true));
  const rules: PathRule[] = [];
  for (const name of names) {
    const p = readPolicy(view, name);
    if (!p.ok) return p;
    if (p.value !== undefined) rules.push(...p.value.paths);
  }
  return ok(new Acl(rules));
}
