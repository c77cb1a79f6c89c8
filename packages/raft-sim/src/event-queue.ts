/**
 * The simulation's agenda: events ordered by simulated time, ties broken by insertion order, so
 * a run depends only on its seed. A binary heap keeps push/pop O(log n).
 */
interface Slot<T> {
  readonly timeMs: number;
  readonly seq: number;
  readonly event: T;
}

export class EventQueue<T> {
  private readonly heap: Slot<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(timeMs: number, event: T): void {
    const slot = { timeMs, seq: this.seq++, event };
    const h = this.heap;
    h.push(slot);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(slot, h[parent] as Slot<T>)) break;
      h[i] = h[parent] as Slot<T>;
      i = parent;
    }
    h[i] = slot;
  }

  pop(): { timeMs: number; event: T } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined) return undefined;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let best: Slot<T> = last;
        if (l < h.length && less(h[l] as Slot<T>, best)) {
          m = l;
          best = h[l] as Slot<T>;
        }
        if (r < h.length && less(h[r] as Slot<T>, best)) m = r;
        if (m === i) break;
        h[i] = h[m] as Slot<T>;
        i = m;
      }
      h[i] = last;
    }
    return { timeMs: top.timeMs, event: top.event };
  }
}

function less<T>(a: Slot<T>, b: Slot<T>): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
