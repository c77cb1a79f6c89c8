/**
 * Runs a transcript: each command in order against one deterministic cluster. The first failure
 * stops the run with the file, the line, the command, what was wrong and the recent events.
 * `print ...` lines add to the run's output, which is shown with a failure (and returned).
 */
import { logIndex } from '@coffer/base';
import type { Cluster } from './cluster.js';
import type { Handler, RunContext } from './actions.js';
import { ACTIONS } from './actions.js';
import { runCheck } from './expect.js';
import { TranscriptError, fail, parseTranscript } from './parse.js';
import { describeMessage } from './trace.js';

/** Lines of recent events shown with a failure. */
const TRACE_LINES_ON_FAILURE = 40;

export interface TranscriptRun {
  readonly prose: readonly string[];
  readonly commands: number;
  readonly output: readonly string[];
}

function print(ctx: RunContext, [what, id]: readonly string[]): void {
  const c = ctx.cluster();
  switch (what) {
    case 'status': {
      const s = c.node(id ?? '').raft.status();
      const peers = s.progress.map((p) => `${p.id}:${p.state}/m${p.match}/n${p.next}`).join(' ');
      ctx.print(`${s.id} ${s.role} term=${s.term} vote=${s.vote ?? '-'} leader=${s.leader ?? '-'} commit=${s.commit} applied=${s.applied} log=${s.firstIndex}..${s.lastIndex} lease=${s.leaseTicksRemaining} ${peers}`);
      return;
    }
    case 'log': {
      const st = c.node(id ?? '').storage;
      const terms: string[] = [];
      for (let i = st.firstIndex(); i <= st.lastIndex(); i++) {
        const t = st.term(logIndex(i));
        terms.push(`${i}@t${t.ok ? t.value : '?'}`);
      }
      ctx.print(`${id} log ${terms.join(' ') || '(empty)'}`);
      return;
    }
    case 'messages':
      for (const m of c.network.pending()) ctx.print(`queued ${describeMessage(m)}`);
      return;
    default:
      fail('print status <node> | print log <node> | print messages');
  }
}

export function runTranscript(text: string, fileName: string): TranscriptRun {
  const { prose, commands } = parseTranscript(text);
  if (prose.length === 0) throw new Error(`${fileName}: a transcript opens with prose (# lines) saying what it shows`);
  let cluster: Cluster | null = null;
  const output: string[] = [];
  const ctx: RunContext = {
    cluster: () => cluster ?? fail('no cluster yet: start with a `cluster` line'),
    setCluster: (c) => {
      cluster = c;
    },
    print: (line) => output.push(line),
  };
  const handlers: Record<string, Handler> = {
    ...ACTIONS,
    print,
    expect: runCheck,
  };
  for (const cmd of commands) {
    try {
      const h = handlers[cmd.name];
      if (h === undefined) fail(`unknown command ${cmd.name} (one of ${Object.keys(handlers).join(', ')})`);
      h(ctx, cmd.words);
    } catch (e: unknown) {
      const why = e instanceof TranscriptError ? e.message : `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      const recent = (cluster as Cluster | null)?.trace.tail(TRACE_LINES_ON_FAILURE) ?? [];
      const parts = [`${fileName}:${cmd.line}: ${cmd.raw}`, `  ${why}`];
      if (output.length > 0) parts.push('--- output ---', ...output);
      if (recent.length > 0) parts.push('--- recent events ---', ...recent);
      throw new Error(parts.join('\n'), { cause: e });
    }
  }
  return { prose, commands: commands.length, output };
}
