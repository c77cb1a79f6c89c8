/**
 * Vault's response shapes. Success: the envelope `{request_id, lease_id, renewable, lease_duration,
 * data, wrap_info, warnings, auth, mount_type}`; every status >= 400: `{"errors": [...]}`; 204: no body.
 * Engines build bodies with the request id left blank; the executor stamps it.
 */
import type { CofferError } from '@coffer/base';
import { HTTP_STATUS_BY_KIND } from '@coffer/base';
import type { LogicalResponse, Outcome } from './types.js';

export interface Envelope {
  request_id: string;
  lease_id: string;
  renewable: boolean;
  lease_duration: number;
  data: unknown;
  wrap_info: null;
  warnings: string[] | null;
  auth: unknown;
  mount_type: string;
}

export function envelope(data: unknown, opts: { mountType?: string; warnings?: readonly string[]; status?: number } = {}): LogicalResponse {
  const body: Envelope = {
    request_id: '',
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: opts.warnings !== undefined && opts.warnings.length > 0 ? [...opts.warnings] : null,
    auth: null,
    mount_type: opts.mountType ?? '',
  };
  return { status: opts.status ?? 200, body };
}

export const noContent = (): LogicalResponse => ({ status: 204 });

export function errorResponse(status: number, ...errors: string[]): LogicalResponse {
  return { status, body: { errors } };
}

/** Vault's bare 404: `{"errors":[]}` (missing key, empty list). */
export const notFound = (): LogicalResponse => errorResponse(404);

export const badRequest = (...errors: string[]): LogicalResponse => errorResponse(400, ...errors);

/** Every error kind mapped to a status: the one table in @coffer/base. */
export const STATUS_BY_KIND = HTTP_STATUS_BY_KIND;

export function fromError(e: CofferError): LogicalResponse {
  return errorResponse(STATUS_BY_KIND[e.kind], e.message);
}

export const respond = (response: LogicalResponse): Outcome => ({ kind: 'response', response });

/** Sets the request id on an envelope body; other bodies pass through. */
export function stampRequestId(res: LogicalResponse, requestId: string): LogicalResponse {
  const body = res.body;
  if (body !== null && typeof body === 'object' && 'request_id' in body) {
    return { status: res.status, body: { ...(body as Envelope), request_id: requestId } };
  }
  return res;
}
