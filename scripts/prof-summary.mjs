// Summarises a .cpuprofile: self time by function (top N) and by package.
// Usage: node scripts/prof-summary.mjs FILE [N]
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const byFn = new Map();
const byPkg = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const f = byId.get(id).callFrame;
  const url = f.url;
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/) ?? url.match(/packages\/([^/]+)/);
  const pkg = f.functionName === '(idle)' ? '(idle)' : m ? m[1] : url.startsWith('node:') ? 'node-core' : url === '' ? `(${f.functionName || 'native'})` : url;
  const key = `${f.functionName || '(anon)'} ${url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  total += us;
}
const show = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, us]) => console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`));
console.log('-- by package'); show(byPkg, 15);
console.log('-- by function'); show(byFn, top);
console.log(`total ${(total / 1000).toFixed(0)} ms`);
