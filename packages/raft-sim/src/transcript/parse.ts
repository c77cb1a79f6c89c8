/**
 * The transcript language, lexically: one command per line, words separated by spaces.
 * A line starting with `#` is prose; a ` #` later on a line starts a trailing comment.
 * `|` is always a word of its own (so `partition n1|n2 n3` reads like `partition n1 | n2 n3`).
 * The meaning of the words belongs to the runner; this file only splits and locates them.
 */

export interface Command {
  /** 1-based line number in the file, for failure messages. */
  readonly line: number;
  /** The line as written, without its trailing comment. */
  readonly raw: string;
  readonly name: string;
  readonly words: readonly string[];
}

export interface Transcript {
  /** The opening prose: the comment lines before the first command. */
  readonly prose: readonly string[];
  readonly commands: readonly Command[];
}

export function parseTranscript(text: string): Transcript {
  const prose: string[] = [];
  const commands: Command[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed.startsWith('#')) {
      if (commands.length === 0) prose.push(trimmed.replace(/^#\s?/, ''));
      continue;
    }
    const raw = trimmed.replace(/\s#.*$/, '').trim();
    if (raw === '') continue;
    const [name, ...words] = raw.replaceAll('|', ' | ').split(/\s+/);
    if (name === undefined) continue;
    commands.push({ line: i + 1, raw, name, words });
  }
  return { prose, commands };
}

/** A command's words, split into plain words and `key=value` options (kept in order). */
export interface Words {
  readonly plain: readonly string[];
  readonly keyed: ReadonlyArray<readonly [string, string]>;
}

export function splitWords(words: readonly string[]): Words {
  const plain: string[] = [];
  const keyed: Array<readonly [string, string]> = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) keyed.push([w.slice(0, eq), w.slice(eq + 1)]);
    else plain.push(w);
  }
  return { plain, keyed };
}

/** An error in the transcript or a failed expectation; the runner adds file and line. */
export class TranscriptError extends Error {
  override readonly name = 'TranscriptError';
}

export function fail(message: string): never {
  throw new TranscriptError(message);
}

export function option(words: Words, key: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of words.keyed) if (k === key) found = v;
  return found;
}

export function intWord(word: string | undefined, what: string): number {
  if (word === undefined || !/^-?\d+$/.test(word)) fail(`expected an integer for ${what}, got ${word ?? 'nothing'}`);
  return Number(word);
}

/** `on n1 n2` at the end of a command narrows which nodes it checks; returns the words before and the nodes after. */
export function splitOn(words: readonly string[]): { readonly head: readonly string[]; readonly on: readonly string[] | undefined } {
  const at = words.indexOf('on');
  if (at < 0) return { head: words, on: undefined };
  return { head: words.slice(0, at), on: words.slice(at + 1) };
}
