/**
 * Vault's enable-time sanity check: a file device whose path cannot be opened is refused with a
 * 400 instead of being enabled (after which every request would fail closed). I/O, so it runs in
 * the audited executor on the leader, before the enable reaches the (pure) audit engine. It only
 * checks this node; a follower with a different filesystem finds out on its first line.
 * It creates nothing: the enable may still be refused for another reason (bad options), and a
 * refused request must leave no trace; the device creates the file on its first line.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
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
    await checkWritable(filePath);
    return undefined;
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'error';
    return errorResponse(400, `sanity check failed; unable to open "${filePath}" for writing: ${code}`);
  }
}

/** Throws (with an fs-style code) unless the file, or the nearest existing folder above it, is writable. */
async function checkWritable(filePath: string): Promise<void> {
  const existing = await stat(filePath).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    await access(filePath, constants.W_OK);
    return;
  }
  let dir = dirname(filePath);
  for (let depth = 0; depth < 64; depth++) {
    const st = await stat(dir).catch(() => undefined);
    if (st !== undefined) {
      if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      await access(dir, constants.W_OK | constants.X_OK);
      return;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw Object.assign(new Error('no existing folder'), { code: 'ENOENT' });
}
