/** Test helper: KV, transit and the audit builtins in memory, wrapped in an AuditedExecutor; temp dirs for files. */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvV2Engine } from '../kv/kv-engine.js';
import { TransitEngine } from '../transit/transit-engine.js';
import { memoryHarness } from '../logical/harness.js';
import type { MemoryHarness } from '../logical/harness.js';
import { SysMountsEngine } from '../logical/sys-mounts.js';
import type { Engine, LogicalRequest, LogicalResponse, Operation } from '../logical/types.js';
import { AuditEngine, auditBuiltins } from './audit-engine.js';
import { AuditBroker } from './broker.js';
import type { AuditBrokerOptions } from './broker.js';
import { AuditedExecutor } from './audited-executor.js';
import { tokenDescriber } from './token-describer.js';
import type { AuditedExecutorOptions } from './audited-executor.js';

export interface AuditStack extends MemoryHarness {
  readonly broker: AuditBroker;
  readonly audited: AuditedExecutor;
  readonly dir: string;
  /** Sends the root token unless `extra.token` says otherwise. */
  req(operation: Operation, path: string, data?: unknown, extra?: Partial<LogicalRequest>): Promise<LogicalResponse>;
  /** Enables a file device at `sys/audit/<name>` (through the audited executor). */
  enable(name: string, options: Record<string, unknown>): Promise<LogicalResponse>;
  /** Parsed JSON lines of an audit file ([] when absent). */
  lines(file: string, prefix?: string): Array<Record<string, unknown>>;
  cleanup(): Promise<void>;
}

export function auditStack(opts: {
  broker?: AuditBrokerOptions;
  extraBuiltins?: Array<[string, Engine]>;
  executor?: Omit<AuditedExecutorOptions, 'broker' | 'source'>;
} = {}): AuditStack {
  const engines = new Map<string, Engine>([['kv', new KvV2Engine()], ['transit', new TransitEngine()]]);
  const builtins = new Map<string, Engine>([...(opts.extraBuiltins ?? []), ...auditBuiltins(new AuditEngine()), ['sys/', new SysMountsEngine(new Set(engines.keys()))]]);
  const h = memoryHarness(engines, builtins);
  const broker = new AuditBroker(opts.broker ?? {});
  let ids = 0;
  const audited = new AuditedExecutor(h.executor, {
    broker,
    source: { reader: h.fsm, crypter: h.crypter },
    nowMs: () => h.clock.nowMs,
    randomId: () => `audit-req-${++ids}`,
    describeToken: tokenDescriber(h.fsm, h.crypter),
    ...opts.executor,
  });
  const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-'));
  const stack: AuditStack = {
    ...h,
    broker,
    audited,
    dir,
    req(operation, path, data, extra = {}) {
      // The root token unless the test sends its own (the executor refuses requests without one).
      return audited.execute({ operation, path, token: h.rootToken, ...(data !== undefined ? { data } : {}), ...extra });
    },
    enable(name, options) {
      return stack.req('update', `sys/audit/${name}`, { type: 'file', options });
    },
    lines(file, prefix = '') {
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
        if (!l.startsWith(prefix)) throw new Error('line without the prefix');
        return JSON.parse(l.slice(prefix.length)) as Record<string, unknown>;
      });
    },
    async cleanup() {
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** `obj.a.b.c` for assertions on parsed lines. */
export function at(value: unknown, ...keys: Array<string | number>): unknown {
  let cur = value;
  for (const k of keys) cur = (cur as Record<string | number, unknown> | undefined)?.[k];
  return cur;
}
