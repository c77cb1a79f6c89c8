/**
 * Request path hygiene. Storage paths are built from request paths, so anything that could alias
 * another path (dot segments, empty segments) or break the ordered store (control characters,
 * lone surrogates) is refused up front with a 400, before any engine runs.
 */
import { isWellFormedText } from '../fsm/bytes.js';

export const MAX_REQUEST_PATH_CHARS = 1024;

/** Undefined when `path` is acceptable; otherwise what is wrong with it. */
export function requestPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'missing path';
  if (path.length > MAX_REQUEST_PATH_CHARS) return `path longer than ${MAX_REQUEST_PATH_CHARS} characters`;
  if (!isWellFormedText(path)) return 'path is not well-formed Unicode';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'path contains control characters';
  if (path.startsWith('/')) return 'path must not start with "/"';
  const segments = path.split('/');
  // A single trailing slash is allowed (list paths, mount roots): its empty last segment is fine.
  const inner = path.endsWith('/') ? segments.slice(0, -1) : segments;
  for (const s of inner) {
    if (s === '') return 'path contains an empty segment ("//")';
    if (s === '.' || s === '..') return `path contains a "${s}" segment`;
  }
  return undefined;
}
