/** Writes `report.json` and `report.html` of a run into a directory (created if missing). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './report-html.js';
import type { LoadtestReport } from './report.js';

export async function writeReports(report: LoadtestReport, outDir: string): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'report.json');
  const html = join(outDir, 'report.html');
  await writeFile(json, `${JSON.stringify(report)}\n`);
  await writeFile(html, renderHtml(report));
  return { json, html };
}
