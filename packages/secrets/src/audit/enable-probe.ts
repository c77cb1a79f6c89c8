/**
 * Vault's enable-time sanity check: a file device whose path cannot be opened is refused with a
 * 400 instead of being enabled (after which every request would fail closed). I/O, so it runs in
 * the audited executor on the leader, before the enable reaches the (pure) audit engine. It only
 * checks this node; a follower with a different filesystem finds out on its first line.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isObject } from '../logical/params.js';
import { errorResponse } from '../logical/response.js';
import type { LogicalRequest, LogicalResponse } from '../logical/types.js';
import { AUDIT_CONFIG_PREFIX } from './audit-engine.js';

function probedFilePath(req: LogicalRequest): string | undefined {
  if (req.operation !== 'create' && req.operation !== 'update') return undefined;
  if (!req.path.startsWith(AUDIT_CONFIG_PREFIX) || req.path.length === AUDIT_CONFIG_PREFIX.length) return undefined;
  if (!isObject(req.data) || req.data['type'] !== 'file' || !isObject(req.data['options'])) return undefined;
  const raw = req.data['options']['file_path'] ?? req.data['options']['path'];
  return typeof raw === 'string' && raw !== '' && raw !== 'stdout' && raw !== 'discard' ? raw : undefined;
}

/** A 400 when `req` enables a file device this node cannot open; undefined otherwise. */
export async function probeAuditEnable(req: LogicalRequest): Promise<LogicalResponse | undefined> {
  const filePath = probedFilePath(req);
  if (filePath === undefined) return undefined;
  try {
    await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
    // 'a' creates the file if needed and never truncates; the device sets its mode on first open.
    const fh = await open(filePath, 'a', 0o600);
    await fh.close();
    return undefined;
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'error';
    return errorResponse(400, `sanity check failed; unable to open "${filePath}" for writing: ${code}`);
  }
}
