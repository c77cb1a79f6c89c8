import { describe, expect, it } from 'vitest';
import { CofferApiError } from '@coffer/client';
import { UsageError } from './command.js';
import { explainError } from './errors.js';

const ctx = { address: 'http://127.0.0.1:8200', hasToken: true };
const api = (status: number, errors: string[], kind: 'http' | 'network' = 'http') => new CofferApiError(status, errors, kind, 'GET /v1/secret/data/app');

describe('explainError says what to do next', () => {
  it('maps each failure to its hint and exit code', () => {
    expect(explainError(new UsageError('bad'), ctx)).toEqual({ message: 'bad', exitCode: 2 });
    expect(explainError(api(503, ['Coffer is sealed']), ctx).message).toBe('Coffer is sealed: run coffer operator unseal');
    expect(explainError(api(503, ['Coffer is not initialized']), ctx).message).toBe('Coffer is not initialized: run coffer operator init');
    expect(explainError(api(0, ['connect ECONNREFUSED 127.0.0.1:8200'], 'network'), ctx)).toEqual({
      message: 'cannot reach Coffer at http://127.0.0.1:8200: is it running? (set COFFER_ADDR)\n  cause: connect ECONNREFUSED 127.0.0.1:8200',
      exitCode: 1,
    });
    expect(explainError(api(403, ['1 error occurred:\n\t* permission denied\n\n']), ctx).message).toBe('permission denied: the token lacks a policy for secret/data/app (coffer token lookup)');
    expect(explainError(api(403, ['permission denied']), ctx).message).toMatch(/^permission denied: the token is not valid/);
    expect(explainError(api(403, ['permission denied']), { ...ctx, hasToken: false }).message).toBe('no token: set COFFER_TOKEN or run coffer login');
    expect(explainError(api(400, ['check-and-set parameter did not match the current version']), ctx).message).toBe('GET /v1/secret/data/app: HTTP 400: check-and-set parameter did not match the current version');
  });
});
