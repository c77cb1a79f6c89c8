/**
 * The two policies every Vault has: `root` (everything, cannot be changed or deleted) and
 * `default` (attached to every token unless `no_default_policy`; editable, not deletable). The
 * default's rules are Vault's own, restricted to the endpoints Coffer serves or may serve.
 */
import type { PathRule } from './policy-parse.js';

export const ROOT_POLICY = 'root';
export const DEFAULT_POLICY = 'default';

export const DEFAULT_POLICY_RULES_HCL = `# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its resultant ACL from all policies
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body
path "sys/renew" {
    capabilities = ["update"]
}
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}
`;

/** The parsed form of DEFAULT_POLICY_RULES_HCL (checked equal by a test), so startup needs no parse. */
export const DEFAULT_POLICY_RULES: readonly PathRule[] = [
  { path: 'auth/token/lookup-self', capabilities: ['read'] },
  { path: 'auth/token/renew-self', capabilities: ['update'] },
  { path: 'auth/token/revoke-self', capabilities: ['update'] },
  { path: 'sys/capabilities-self', capabilities: ['update'] },
  { path: 'sys/internal/ui/resultant-acl', capabilities: ['read'] },
  { path: 'sys/renew', capabilities: ['update'] },
  { path: 'sys/leases/renew', capabilities: ['update'] },
  { path: 'sys/leases/lookup', capabilities: ['update'] },
  { path: 'cubbyhole/*', capabilities: ['create', 'read', 'update', 'delete', 'list'] },
  { path: 'sys/wrapping/wrap', capabilities: ['update'] },
  { path: 'sys/wrapping/lookup', capabilities: ['update'] },
  { path: 'sys/wrapping/unwrap', capabilities: ['update'] },
  { path: 'sys/tools/hash', capabilities: ['update'] },
  { path: 'sys/tools/hash/*', capabilities: ['update'] },
];

/**
 * Vault's root-protected ("sudo") paths among those Coffer serves or reserves: even a token whose
 * policy grants the operation also needs `sudo` on the path. (Vault does not make `sys/policy`
 * writes sudo; they need ordinary create/update on `sys/policy/<name>`, and so here.)
 */
export const SUDO_PATH_PREFIXES: readonly string[] = [
  'sys/audit/', 'sys/auth/', 'sys/raw/', 'sys/rotate', 'sys/config/auditing/', 'sys/leases/revoke-prefix/', 'sys/leases/revoke-force/',
  'sys/revoke-prefix/', 'sys/revoke-force/', 'sys/storage/raft/snapshot', 'auth/token/revoke-orphan', 'auth/token/accessors/',
];

export function isSudoPath(path: string): boolean {
  return SUDO_PATH_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));
}
