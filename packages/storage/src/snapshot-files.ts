/**
 * Snapshot data lives in files beside the LevelDB, not in it: a state-machine snapshot can be
 * tens of MB, and writing it through LevelDB's single write path (WAL, memtable, compaction)
 * stalled every raft persist queued behind it for hundreds of ms (measured: 590 ms for 13 MB),
 * long enough to cost the leader its quorum. A file is written beside the queue, fsynced, renamed
 * into place and its directory fsynced; only then does the small metadata record name it.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
export const SNAPSHOT_DIR = 'snapshots';

let sequence = 0;

/** Writes `data` durably as a new snapshot file for `index`; returns its (unique) name. */
export async function writeSnapshotFile(dir: string, index: number, data: Uint8Array): Promise<string> {
  const folder = join(dir, SNAPSHOT_DIR);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const name = `snap-${index}-${process.pid}-${++sequence}.bin`;
  const tmp = join(folder, `${name}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(folder, name));
  const dh = await open(folder, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
  return name;
}

export async function readSnapshotFile(dir: string, name: string): Promise<Uint8Array> {
  const buf = await readFile(join(dir, SNAPSHOT_DIR, name));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Removes every snapshot file but `keep` (older snapshots, and leftovers of a crash). */
export async function removeSnapshotFilesExcept(dir: string, keep: string | undefined): Promise<void> {
  let names: string[];
  try {
    names = await readdir(join(dir, SNAPSHOT_DIR));
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n !== keep).map((n) => rm(join(dir, SNAPSHOT_DIR, n), { force: true })));
}
