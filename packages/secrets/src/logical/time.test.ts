import { describe, expect, it } from 'vitest';
import { goDuration, parseDurationSeconds, rfc3339 } from './time.js';
import { requestPathProblem } from './paths.js';

describe('Vault time formats', () => {
  it('formats timestamps as Go RFC3339Nano (trailing zeros dropped)', () => {
    expect(rfc3339(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05Z');
    expect(rfc3339(Date.UTC(2026, 0, 2, 3, 4, 5, 940))).toBe('2026-01-02T03:04:05.94Z');
    expect(rfc3339(Date.UTC(2026, 0, 2, 3, 4, 5, 7))).toBe('2026-01-02T03:04:05.007Z');
  });

  it('formats and parses durations like Go and Vault', () => {
    expect([0, 45, 90, 3600, 5400, 90061].map(goDuration)).toEqual(['0s', '45s', '1m30s', '1h0m0s', '1h30m0s', '25h1m1s']);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds(' 30 ')).toBe(30);
    expect(parseDurationSeconds(12)).toBe(12);
    expect(parseDurationSeconds('2d')).toBe(172800);
    for (const bad of ['', 'soon', '1.5h', '1h 30m', true, null, 1.5]) expect(parseDurationSeconds(bad), String(bad)).toBeUndefined();
  });
});

describe('request path hygiene', () => {
  it('accepts normal and list paths, refuses aliasing ones', () => {
    for (const ok of ['secret/data/a', 'secret/metadata/', 'secret/data/a.b/..c/.d', 'secret/data/日本']) expect(requestPathProblem(ok), ok).toBeUndefined();
    for (const bad of ['', '/x', 'a//b', 'a/./b', 'a/../b', 'a/..', 'a/.', 'a/./', 'a\u0007b', 'a\uD800b']) expect(requestPathProblem(bad), bad).toBeDefined();
  });
});
