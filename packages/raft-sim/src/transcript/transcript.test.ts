/**
 * Runs every testdata/*.txt transcript as its own test case, named after its file. A failure
 * names the file and line of the failed command. The first cases check the harness itself:
 * a wrong expectation must fail, and say where.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './runner.js';

const dir = join(import.meta.dirname, '..', '..', 'testdata');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('transcript harness', () => {
  const elected = '# prose\ncluster n1 n2 n3\ncampaign n1\nstabilize\n';

  it('passes a true expectation and fails a false one with file and line', () => {
    expect(runTranscript(`${elected}expect leader n1\n`, 'ok.txt').commands).toBe(4);
    expect(() => runTranscript(`${elected}expect leader n2\n`, 'bad.txt')).toThrow(/^bad\.txt:5: expect leader n2\n {2}leader according to n1: got n1, want n2/);
  });

  // Logs start with the bootstrap entries (1..3, term 1); n1 leads term 2 with its no-op at 4.
  it('fails a wrong log, term list and read state', () => {
    expect(runTranscript(`${elected}expect log n2 1..4 terms 1,1,1,2\n`, 'ok.txt').commands).toBe(4);
    expect(() => runTranscript(`${elected}expect log n2 1..4 terms 1,1,1,1\n`, 'x.txt')).toThrow(/x\.txt:5:.*\n.*terms of n2 at 1\.\.4: got 1,1,1,2, want 1,1,1,1/);
    expect(() => runTranscript(`${elected}expect log n2 1..5 terms 1,1,1,2,2\n`, 'x.txt')).toThrow(/last index of n2: got 4, want 5/);
    expect(() => runTranscript(`${elected}read-index n1 r\nstabilize\nexpect read-state n1 r index 3\n`, 'x.txt')).toThrow(/x\.txt:7: .*\n {2}read index of r on n1: got 4, want 3/);
  });

  it('refuses unknown commands, a transcript without prose, and an unmet fails=', () => {
    expect(() => runTranscript(`${elected}frobnicate n1\n`, 'x.txt')).toThrow(/x\.txt:5: .*\n {2}unknown command frobnicate/);
    expect(() => runTranscript('cluster n1\n', 'x.txt')).toThrow(/opens with prose/);
    expect(() => runTranscript(`${elected}propose n1 a=1 fails=not-leader\n`, 'x.txt')).toThrow(/succeeded, expected it to fail/);
  });
});

/** The transcript with `fault=<name>` added to each `cluster` line. */
function withFault(file: string, fault: string): string {
  return readFileSync(join(dir, file), 'utf8').replace(/^cluster .*$/gm, (line) => `${line} fault=${fault}`);
}

describe('transcripts catch deliberately broken rules', () => {
  const cases = [
    { file: 'figure8.txt', fault: 'commit-by-counting', failsAt: /:58: expect commit n1 6\n {2}commit of n1: got 7, want 6\n/ },
    { file: 'election.txt', fault: 'skip-vote-log-check', failsAt: /:82: expect role n3 candidate\n {2}role of n3: got leader, want candidate\n/ },
    { file: 'read-index.txt', fault: 'read-without-quorum', failsAt: /:22: expect no-read-state n1 r1\n {2}read index of r1 on n1: got 5, want none\n/ },
    // The lease has run out but check-quorum has not yet deposed n1: the only window a lease bug shows in.
    { file: 'lease-read.txt', fault: 'read-without-quorum', failsAt: /:52: expect no-read-state n1 l3\n {2}read index of l3 on n1: got 6, want none\n/ },
    { file: 'stale-append.txt', fault: 'truncate-on-match', failsAt: /:25: expect log n2 1\.\.7 terms 1,1,1,2,2,2,2\n {2}last index of n2: got 5, want 7\n/ },
  ];
  for (const { file, fault, failsAt } of cases) {
    it(`${file} with ${fault}`, () => {
      expect(() => runTranscript(withFault(file, fault), `testdata/${file}`)).toThrow(failsAt);
    });
  }
});

describe('raft transcripts (testdata/*.txt)', () => {
  it('finds the transcripts', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, () => {
      const run = runTranscript(readFileSync(join(dir, file), 'utf8'), `testdata/${file}`);
      expect(run.commands).toBeGreaterThan(0);
    });
  }
});
