/**
 * The HTML report in a real browser (Debian's chromium, driven by playwright-core): the latency
 * chart is drawn with its data (dots, p50/p99 lines, throughput) and one marker per fault, with
 * its label, read back from the rendered DOM. The report comes from a synthetic run so the test
 * needs no cluster; COFFER_LOADTEST_SCREENSHOT=<file.png> saves what the browser drew.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport, checkDurability, checkLinearizability, parseLoadtestArgs, renderHtml, type FaultRecord, type LeaderSample, type OpRecord } from '@coffer/loadtest';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** 20 s of 4 clients at ~50 ops/s each, latency spiking after each of three kills. */
function syntheticRun(): { records: OpRecord[]; faults: FaultRecord[]; leaders: LeaderSample[] } {
  const faults: FaultRecord[] = [5000, 10_000, 15_000].map((at, i) => ({ kind: 'kill', node: `n${i + 1}`, injectMs: at, recoverMs: at + 2000 }));
  const records: OpRecord[] = [];
  for (let c = 0; c < 4; c++) {
    let t = 0;
    let n = 0;
    while (t < 22_000) {
      const sinceFault = Math.min(...faults.map((f) => (t >= f.injectMs ? t - f.injectMs : Infinity)));
      const latency = sinceFault < 600 ? 600 - sinceFault + 5 : 3 + ((c * 7 + n) % 11);
      const isError = sinceFault < 100 && c === 0;
      const value = `c${c}.${++n}`;
      records.push({
        clientId: `c${c}`, kind: n % 2 === 0 ? 'write' : 'read', key: `k${n % 5}`, value: n % 2 === 0 ? value : null,
        invokeMs: t, completeMs: t + latency, outcome: isError ? 'fail' : 'ok', node: 'n1', isWarmup: t < 2000,
        ...(isError ? { error: 'refused' } : {}),
      });
      t += latency + 15;
    }
  }
  records.sort((a, b) => a.completeMs - b.completeMs);
  const leaders: LeaderSample[] = [{ atMs: 0, leader: 'n1', term: 2 }, { atMs: 5400, leader: 'n2', term: 3 }, { atMs: 10_400, leader: 'n3', term: 4 }, { atMs: 15_400, leader: 'n1', term: 5 }];
  return { records, faults, leaders };
}

let browser: BrowserContext | undefined;
const dir = mkdtempSync(join(tmpdir(), 'coffer-report-'));

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report in chromium', () => {
  it('draws the latency chart with data points, p50/p99 lines, throughput and one marker per fault', async () => {
    const opts = parseLoadtestArgs(['--spawn', '3', '--duration', '20s', '--failover', 'kill', '--every', '5s']);
    if (!opts.ok) throw new Error(opts.error.message);
    const { records, faults, leaders } = syntheticRun();
    const limits = { stepsPerKey: 100_000, timeLimitMs: 10_000, nowMs: () => performance.now() };
    // Reads here return absent values that the synthetic writes contradict: the verdict is not the point.
    const report = buildReport({
      startedAt: new Date(0).toISOString(), options: opts.value, nodes: [{ id: 'n1', apiUrl: 'http://127.0.0.1:1' }],
      measureStartMs: 2000, endMs: 22_000, records, faults, leaders,
      linearizability: checkLinearizability(records, limits), durability: checkDurability(records, []),
    });
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));

    // A fresh profile dir per run (playwright wants it as launchPersistentContext's argument).
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1200, height: 900 } });
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    const drawn = await page.evaluate(() => {
      const svg = document.querySelector('svg#latency-chart');
      const box = svg?.getBoundingClientRect();
      const pointsOf = (sel: string): number => (document.querySelector(sel)?.getAttribute('points') ?? '').trim().split(/\s+/).filter((p) => p !== '').length;
      return {
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        dots: document.querySelectorAll('svg#latency-chart circle.op').length,
        errors: document.querySelectorAll('svg#latency-chart path.op-error').length,
        p50: pointsOf('svg#latency-chart polyline.p50'),
        p99: pointsOf('svg#latency-chart polyline.p99'),
        throughput: pointsOf('svg#latency-chart polyline.throughput'),
        markers: [...document.querySelectorAll('svg#latency-chart g.fault-marker')].map((g) => ({
          kind: g.getAttribute('data-kind'),
          node: g.getAttribute('data-node'),
          label: g.querySelector('text.fault-label')?.textContent ?? '',
          lineHeight: g.querySelector('line.fault-line')?.getBoundingClientRect().height ?? 0,
        })),
        leaderChanges: document.querySelectorAll('svg#latency-chart g.leader-change').length,
      };
    });
    const shot = process.env['COFFER_LOADTEST_SCREENSHOT'];
    if (shot !== undefined && shot !== '') await page.screenshot({ path: shot, fullPage: true });

    expect(drawn.width).toBeGreaterThan(500);
    expect(drawn.height).toBeGreaterThan(300);
    expect(drawn.dots).toBe(records.filter((r) => r.outcome === 'ok').length);
    expect(drawn.errors).toBe(records.filter((r) => r.outcome !== 'ok').length);
    expect(drawn.p50).toBeGreaterThan(50);
    expect(drawn.p99).toBe(drawn.p50);
    expect(drawn.throughput).toBe(20);
    expect(drawn.markers).toHaveLength(3);
    expect(drawn.markers.map((m) => `${m.kind} ${m.node}`)).toEqual(['kill n1', 'kill n2', 'kill n3']);
    for (const m of drawn.markers) {
      expect(m.label).toContain(`kill ${m.node}`);
      expect(m.lineHeight).toBeGreaterThan(300); // through both panels
    }
    expect(drawn.leaderChanges).toBe(3);
    // Self-contained: nothing but the file itself was fetched.
    expect(requests).toEqual([pathToFileURL(file).href]);
  });
});
