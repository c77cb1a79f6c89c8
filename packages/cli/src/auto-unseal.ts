/**
 * Auto-unseal at start (AWS KMS): the node unseals itself without an operator. While the cluster
 * is not initialized yet, or KMS is unreachable, or the key is disabled, it stays sealed, reports
 * why in seal-status (`last_unseal_error`) and the log, and retries with capped backoff until it
 * succeeds or the node stops. After an operator seal it does not unseal itself (as Vault).
 */
import { cofferError, err, type Logger, type Result } from '@coffer/base';
import type { Barrier, SealStatus } from '@coffer/barrier';
import { unsealWithRetry } from '@coffer/kms-unseal';

export interface AutoUnsealLoop {
  /** Wakes a waiting retry at once (e.g. right after init committed). */
  poke(): void;
  stop(): void;
}

export function startAutoUnseal(barrier: Barrier, logger: Logger, maxDelayMs = 2000): AutoUnsealLoop {
  let controller = new AbortController();
  let stopped = false;
  const attempt = async (): Promise<Result<SealStatus>> => {
    const st = await barrier.status();
    if (!st.ok) return st;
    if (!st.value.initialized) return err(cofferError('unavailable', 'cluster not initialized yet'));
    if (!st.value.sealed) return st;
    return barrier.autoUnseal();
  };
  const run = async (): Promise<void> => {
    for (let round = 0; round < 1_000_000 && !stopped; round++) {
      const r = await unsealWithRetry(attempt, {
        signal: controller.signal,
        initialDelayMs: 100,
        maxDelayMs,
        onAttemptFailed: (f) => {
          if (f.error.message !== 'cluster not initialized yet') logger.warn('auto-unseal failed; retrying', { attempt: f.attempt, error: f.error.message, nextDelayMs: f.nextDelayMs });
        },
      });
      if (stopped) return;
      if (r.ok) {
        logger.info('auto-unsealed');
        return;
      }
      if (!controller.signal.aborted) {
        logger.error('auto-unseal gave up; unseal with recovery shares or restart', { error: r.error.message });
        return;
      }
      controller = new AbortController(); // poked: try again now
    }
  };
  void run();
  return {
    poke: () => controller.abort(),
    stop: () => {
      stopped = true;
      controller.abort();
    },
  };
}
