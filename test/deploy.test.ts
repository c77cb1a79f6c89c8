/**
 * deploy/ must stay true to the code: every node config under deploy/configs is accepted by
 * `coffer server`'s own parser (without starting a node), the systemd unit's command line too, and
 * the Kubernetes manifests parse as YAML and give each pod a configuration the parser accepts,
 * with the probes, PDB and Services the operator guide describes.
 * YAML is parsed by python3's PyYAML (no YAML parser is installed in node_modules); without it the
 * YAML tests are skipped, saying so.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServerArgs } from '@coffer/cli';

const DEPLOY = resolve(import.meta.dirname, '..', 'deploy');

function filesUnder(dir: string, suffixes: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && suffixes.some((s) => e.name.endsWith(s)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

type Doc = Record<string, unknown>;
const PY = `import json, sys, yaml
out = {}
for p in sys.argv[1:]:
    with open(p) as f:
        out[p] = [d for d in yaml.safe_load_all(f) if d is not None]
print(json.dumps(out))`;

/** Every YAML document of every file, or the reason they could not be loaded. */
function loadYaml(paths: readonly string[]): { docs: Map<string, Doc[]> } | { skip: string } {
  const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return { skip: 'python3 with PyYAML is not available' };
  const r = spawnSync('python3', ['-c', PY, ...paths], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`YAML did not parse:\n${r.stderr}`);
  return { docs: new Map(Object.entries(JSON.parse(r.stdout) as Record<string, Doc[]>)) };
}

const yamlFiles = filesUnder(DEPLOY, ['.yaml', '.yml']);
const loaded = loadYaml(yamlFiles);
const docs = 'docs' in loaded ? loaded.docs : new Map<string, Doc[]>();
const skipReason = 'skip' in loaded ? loaded.skip : undefined;
const all = (): Doc[] => [...docs.values()].flat();
const find = (kind: string, name?: string): Doc => {
  const d = all().find((x) => x['kind'] === kind && (name === undefined || (x['metadata'] as Doc | undefined)?.['name'] === name));
  if (d === undefined) throw new Error(`no ${kind} ${name ?? ''} in deploy/`);
  return d;
};
// Small typed accessors over parsed YAML: a missing path fails the test with its name.
const at = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => {
    if (typeof v !== 'object' || v === null) throw new Error(`no ${path.join('.')} (stopped at ${String(k)})`);
    return (v as Record<string | number, unknown>)[k];
  }, o);

describe('deploy/configs', () => {
  const configs = filesUnder(join(DEPLOY, 'configs'), ['.json']);

  it('has the Shamir and the AWS KMS examples', () => {
    expect(configs.map((p) => relative(DEPLOY, p))).toEqual(expect.arrayContaining(['configs/n1.json', 'configs/awskms/n1.json']));
  });

  it.each(configs.map((p) => [relative(DEPLOY, p), p]))('%s is accepted by coffer server', (_name, path) => {
    const r = parseServerArgs(['--config', path]);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.tls).toBeDefined();
    expect(r.value.apiAddress).toBeDefined();
    if (path.includes('awskms')) expect(r.value.seal?.awskms.kms_key_id).toMatch(/\S/);
  });
});

describe('deploy/systemd', () => {
  it("the unit's ExecStart is accepted by coffer server (with n1.json as its config) and may write the data dir", () => {
    const unit = readFileSync(join(DEPLOY, 'systemd', 'coffer.service'), 'utf8');
    const exec = unit.match(/^ExecStart=(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    const args = exec.slice(exec.indexOf('server') + 1);
    const n1 = readFileSync(join(DEPLOY, 'configs', 'n1.json'), 'utf8');
    const r = parseServerArgs(args, (p) => (p === '/etc/coffer/coffer.json' ? n1 : readFileSync(p, 'utf8')));
    if (!r.ok) throw new Error(r.error.message);
    expect(unit).toContain(`ReadWritePaths=${r.value.dataDir}`);
    expect(Number(unit.match(/^TimeoutStopSec=(\d+)$/m)?.[1])).toBeGreaterThan(10); // the server bounds its stop at 10 s
  });
});

describe.skipIf(skipReason !== undefined)(`deploy/**/*.yaml${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('every YAML file parses, and every document has apiVersion, kind and (but the Kustomization) a name', () => {
    expect(yamlFiles.length).toBeGreaterThanOrEqual(6);
    for (const [path, list] of docs) {
      expect(list.length, path).toBeGreaterThan(0);
      for (const d of list) {
        expect(typeof d['apiVersion'], path).toBe('string');
        if (d['kind'] !== 'Kustomization') expect(typeof at(d, 'metadata', 'name'), path).toBe('string');
      }
    }
    const kustomization = find('Kustomization');
    const listed = (at(kustomization, 'resources') as string[]).map((f) => resolve(DEPLOY, 'kubernetes', f)).sort();
    expect(listed).toEqual(yamlFiles.filter((p) => dirname(p) === join(DEPLOY, 'kubernetes') && !p.endsWith('kustomization.yaml')));
  });

  it('StatefulSet: 3 replicas in parallel, a volume per pod, the probes, behind a headless Service that publishes not-ready pods', () => {
    const sts = find('StatefulSet', 'coffer');
    expect(at(sts, 'spec', 'replicas')).toBe(3);
    expect(at(sts, 'spec', 'podManagementPolicy')).toBe('Parallel');
    expect(at(sts, 'spec', 'volumeClaimTemplates', 0, 'metadata', 'name')).toBe('data');
    const c = at(sts, 'spec', 'template', 'spec', 'containers', 0);
    expect(at(c, 'readinessProbe', 'httpGet', 'path')).toBe('/v1/sys/health?standbyok=true');
    expect(at(c, 'livenessProbe', 'httpGet', 'path')).toBe('/v1/sys/health?standbyok=true&sealedcode=200&uninitcode=200');
    const headless = find('Service', at(sts, 'spec', 'serviceName') as string);
    expect(at(headless, 'spec', 'clusterIP')).toBe('None');
    expect(at(headless, 'spec', 'publishNotReadyAddresses')).toBe(true);
    expect(at(find('Service', 'coffer'), 'spec', 'publishNotReadyAddresses')).toBeUndefined();
    expect(at(find('PodDisruptionBudget'), 'spec', 'maxUnavailable')).toBe(1);
  });

  it("every pod's command line, with its name substituted, is accepted by coffer server and names the pod consistently", () => {
    const sts = find('StatefulSet', 'coffer');
    const pod = at(sts, 'spec', 'template', 'spec') as Doc;
    const c = at(pod, 'containers', 0) as Doc;
    const ns = at(sts, 'metadata', 'namespace') as string;
    const mounts = new Map((at(c, 'volumeMounts') as Doc[]).map((m) => [m['name'] as string, m['mountPath'] as string]));
    const volumes = new Map((at(pod, 'volumes') as Doc[]).map((v) => [v['name'] as string, v]));
    const configMapName = at(volumes.get('config'), 'configMap', 'name') as string;
    const configJson = at(find('ConfigMap', configMapName), 'data', 'coffer.json') as string;
    expect(at(volumes.get('tls'), 'secret', 'secretName')).toBe('coffer-tls');
    const httpPort = (at(c, 'ports') as Doc[]).find((p) => p['name'] === 'http')?.['containerPort'];
    for (let i = 0; i < (at(sts, 'spec', 'replicas') as number); i++) {
      const name = `coffer-${i}`;
      const args = (at(c, 'args') as string[]).map((a) => a.replaceAll('$(POD_NAME)', name).replaceAll('$(POD_NAMESPACE)', ns));
      expect(args[0]).toBe('server');
      const configPath = join(mounts.get('config') ?? '/missing', 'coffer.json');
      const r = parseServerArgs(args.slice(1), (p) => {
        if (p !== configPath) throw Object.assign(new Error('not mounted'), { code: 'ENOENT' });
        return configJson;
      });
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      expect(r.value.nodeId).toBe(name);
      expect(r.value.bootstrap?.get(name)).toBe(r.value.clusterAddress);
      expect(r.value.bootstrap?.size).toBe(at(sts, 'spec', 'replicas'));
      expect(r.value.dataDir.startsWith(`${mounts.get('data')}/`)).toBe(true);
      for (const f of [r.value.tls?.caFile, r.value.tls?.certFile, r.value.tls?.keyFile]) expect(dirname(f ?? '')).toBe(mounts.get('tls'));
      expect(r.value.apiAddress).toBe(`0.0.0.0:${httpPort}`);
      expect(r.value.seal?.awskms.kms_key_id).toMatch(/\S/);
    }
  });
});
