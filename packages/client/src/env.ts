/**
 * Defaults from the environment, as the vault CLI and SDKs read them: COFFER_ADDR then
 * VAULT_ADDR (default http://127.0.0.1:8200), COFFER_TOKEN then VAULT_TOKEN (default none).
 */
export const DEFAULT_ADDRESS = 'http://127.0.0.1:8200';

export type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

export function addressFromEnv(env: Env): string {
  return nonEmpty(env['COFFER_ADDR']) ?? nonEmpty(env['VAULT_ADDR']) ?? DEFAULT_ADDRESS;
}

export function tokenFromEnv(env: Env): string | undefined {
  return nonEmpty(env['COFFER_TOKEN']) ?? nonEmpty(env['VAULT_TOKEN']);
}
