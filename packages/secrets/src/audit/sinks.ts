/**
 * Where audit lines go: the I/O half of audit (the only `node:fs` user in this package). A sink
 * resolves only once the line was handed to the OS, so a request is never executed on the strength
 * of a line that was merely queued. Sinks do not fsync (neither does Vault's file device).
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';

export interface AuditSink {
  /** Appends one complete line (newline included); rejects when it could not be written. */
  write(line: string): Promise<void>;
  /** Drops the open file, if any, so the next write reopens the path (log rotation, SIGHUP). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** Anything with a Node-style `write(chunk, callback)`: `process.stdout`, or a test capture. */
export interface LineWriter {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

/**
 * Appends to a file opened lazily with O_APPEND and created with `mode`; lines are written whole
 * (one batch at a time, so they never interleave). A failed open or write drops the handle: the next line
 * retries the path from scratch, so a device heals once its path is writable again.
 */
export class FileSink implements AuditSink {
  private handle: Promise<FileHandle> | undefined;
  /** Lines that arrived while a write was in flight: written together by the next write. */
  private pending: { lines: string[]; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | undefined;
  private isFlushing = false;

  constructor(
    private readonly filePath: string,
    /** Octal permission bits; 0 means "leave the file's mode alone" (Vault's "0000"). */
    private readonly mode: number,
  ) {}

  /**
   * Group commit: at most one write is in flight; lines arriving meanwhile are coalesced into the
   * next one, and each caller resolves only when its own batch is written (or rejects with it).
   */
  write(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending ??= { lines: [], waiters: [] };
      this.pending.lines.push(line);
      this.pending.waiters.push({ resolve, reject });
      if (!this.isFlushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.isFlushing = true;
    // Ends when no line arrived during the last write; each pass writes every queued line.
    while (this.pending !== undefined) {
      const batch = this.pending;
      this.pending = undefined;
      try {
        await this.writeNow(batch.lines.join(''));
        for (const w of batch.waiters) w.resolve();
      } catch (e) {
        for (const w of batch.waiters) w.reject(e);
      }
    }
    this.isFlushing = false;
  }

  private async writeNow(text: string): Promise<void> {
    this.handle ??= this.openFile();
    const opening = this.handle;
    try {
      const fh = await opening;
      // appendFile loops until every byte is written (a bare write may be short).
      await fh.appendFile(text);
    } catch (e) {
      if (this.handle === opening) this.handle = undefined;
      void opening.then((fh) => fh.close()).catch(() => undefined);
      throw e;
    }
  }

  private async openFile(): Promise<FileHandle> {
    // As Vault's file sink: create missing parent directories (owner-only).
    await mkdir(dirname(this.filePath), { recursive: true, mode: 0o700 });
    const fh = await open(this.filePath, 'a', this.mode === 0 ? 0o600 : this.mode);
    try {
      // Creation mode is filtered by the umask, and an existing file keeps its mode: set it.
      if (this.mode !== 0) await fh.chmod(this.mode);
    } catch (e) {
      await fh.close();
      throw e;
    }
    return fh;
  }

  async reopen(): Promise<void> {
    const old = this.handle;
    this.handle = undefined;
    if (old !== undefined) await old.then((fh) => fh.close()).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.reopen();
  }
}

export class StreamSink implements AuditSink {
  constructor(private readonly out: LineWriter) {}

  write(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.write(line, (error) => (error ? reject(error) : resolve()));
    });
  }

  reopen(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Vault's `file_path = "discard"`: a device that accepts and drops every line (benchmarks, tests). */
export class DiscardSink implements AuditSink {
  write(): Promise<void> {
    return Promise.resolve();
  }

  reopen(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
