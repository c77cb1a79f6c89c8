/**
 * An ACL: the merged path rules of a token's policies, answering "what may this token do at
 * this path". Vault's semantics:
 * - Rules for the same path string from several policies are merged (union of capabilities);
 *   `deny` anywhere in that union makes the path deny-only.
 * - An exact path rule wins over every pattern. For LIST, an exact rule for the path without its
 *   trailing slash also counts (as in Vault).
 * - Otherwise, among matching patterns (`*` = prefix glob at the end, `+` = exactly one non-empty
 *   segment), the most specific wins, by Vault's documented priority (P1 loses to P2 when):
 *     1. P1's first `+` or `*` comes earlier;      2. P1 ends in `*` and P2 does not;
 *     3. P1 has more `+` segments;                 4. P1 is shorter;
 *     5. P1 is lexicographically smaller.
 *   So `secret/data/app` beats `secret/data/*`, `secret/data/a*` beats `secret/data/*`, and a
 *   specific rule's capabilities replace (not add to) a broader rule's: a broader `deny` does not
 *   override a more specific grant, while `deny` on the winning (merged) rule always wins.
 * - No matching rule: no capabilities (deny by default). The `root` policy grants everything.
 */
import type { Capability } from '../logical/types.js';
import type { PathRule } from './policy-parse.js';

const ALL: ReadonlySet<Capability> = new Set<Capability>(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo']);
const NONE: ReadonlySet<Capability> = new Set<Capability>();
const DENY: ReadonlySet<Capability> = new Set<Capability>(['deny']);

interface Pattern {
  readonly path: string;
  readonly regex: RegExp;
  readonly firstWildcard: number;
  readonly isGlob: boolean;
  readonly plusSegments: number;
  readonly caps: ReadonlySet<Capability>;
}

export class Acl {
  private readonly exact = new Map<string, ReadonlySet<Capability>>();
  private readonly patterns: Pattern[] = [];

  constructor(
    rules: readonly PathRule[],
    private readonly isRoot = false,
  ) {
    const merged = new Map<string, Set<Capability>>();
    for (const rule of rules) {
      const caps = merged.get(rule.path) ?? new Set<Capability>();
      rule.capabilities.forEach((c) => caps.add(c));
      merged.set(rule.path, caps);
    }
    for (const [path, caps] of merged) {
      const final: ReadonlySet<Capability> = caps.has('deny') ? DENY : caps;
      const isGlob = path.endsWith('*');
      const segments = (isGlob ? path.slice(0, -1) : path).split('/');
      const plusSegments = segments.filter((s) => s === '+').length;
      if (!isGlob && plusSegments === 0) {
        this.exact.set(path, final);
        continue;
      }
      const body = segments.map((s) => (s === '+' ? '[^/]+' : escapeRegex(s))).join('/');
      let firstWildcard = isGlob ? path.length - 1 : path.length;
      for (let i = 0, offset = 0; i < segments.length; offset += (segments[i] ?? '').length + 1, i++) {
        if (segments[i] === '+') {
          firstWildcard = Math.min(firstWildcard, offset);
          break;
        }
      }
      this.patterns.push({ path, regex: new RegExp(`^${body}${isGlob ? '[\\s\\S]*' : ''}$`), firstWildcard, isGlob, plusSegments, caps: final });
    }
  }

  /** Capabilities on `path` (no leading slash). `deny` means nothing is allowed. */
  capabilities(path: string, isList = false): ReadonlySet<Capability> {
    if (this.isRoot) return ALL;
    const exact = this.exact.get(path) ?? (isList && path.endsWith('/') ? this.exact.get(path.slice(0, -1)) : undefined);
    if (exact !== undefined) return exact;
    let best: Pattern | undefined;
    for (const p of this.patterns) if (p.regex.test(path) && (best === undefined || outranks(p, best))) best = p;
    return best?.caps ?? NONE;
  }

  /** Is `cap` allowed on `path`? `deny` on the deciding rule refuses everything. */
  allows(path: string, cap: Capability): boolean {
    const caps = this.capabilities(path, cap === 'list');
    return !caps.has('deny') && caps.has(cap);
  }
}

/** Vault's priority rules: does `a` beat `b`? */
export function outranks(a: Pick<Pattern, 'path' | 'firstWildcard' | 'isGlob' | 'plusSegments'>, b: Pick<Pattern, 'path' | 'firstWildcard' | 'isGlob' | 'plusSegments'>): boolean {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard > b.firstWildcard;
  if (a.isGlob !== b.isGlob) return !a.isGlob;
  if (a.plusSegments !== b.plusSegments) return a.plusSegments < b.plusSegments;
  if (a.path.length !== b.path.length) return a.path.length > b.path.length;
  return a.path > b.path;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
