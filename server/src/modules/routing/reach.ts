/**
 * Reach searches: every node within a budget of the seeds. The answer (nodes and costs) is exactly that
 * of `Dijkstra.run` with `maxCost` (the same relaxations, the same additions in the same order), but
 * the queue is a bucket queue: costs are filed into buckets of `BUCKET_S` seconds, and only the bucket
 * being settled is kept as a binary heap. A reach search's frontier spreads over the whole budget, so
 * each heap stays a few entries deep and most pushes are an append to a later bucket: 13–20% less time
 * than one heap over the frontier on the demo county (196 forces, 2–4 minute budgets), and still exact,
 * since a bucket's nodes are settled in cost order before any later bucket is opened. It also writes
 * only what a reach needs (no routes, metres or labels).
 */
import { MinHeap, type SearchState, type Seed } from './dijkstra.ts';
import type { Adjacency } from './graph.ts';

/** bucket width, seconds: on the demo county 0.5–1 s were best (2 s slower, 16 s as slow as one heap) */
const BUCKET_S = 1;
/** at most this many buckets: a longer budget widens them */
const MAX_BUCKETS = 4096;

export class ReachSearch implements Pick<SearchState, 'reached' | 'settled' | 'cost'> {
  private readonly costs: Float64Array;
  /** per node: `generation` once reached in the current search, `generation + 1` once settled */
  private readonly mark: Uint32Array;
  /** the nodes reached by the last search, in the order they were settled */
  readonly order: Int32Array;
  /** even, 2 or more once a search has run */
  private generation = 0;
  private readonly heap = new MinHeap();
  /** the bucket being settled, the one whose entries are in `heap` */
  private current = 0;
  /** bucket b's entries: first[b], then next[entry] … (-1 ends) */
  private readonly first = new Int32Array(MAX_BUCKETS + 1);
  private entryCost = new Float64Array(1024);
  private entryNode = new Int32Array(1024);
  private entryNext = new Int32Array(1024);
  private entries = 0;

  constructor(
    private readonly graph: Adjacency,
    nodeCount: number,
  ) {
    this.costs = new Float64Array(nodeCount);
    this.mark = new Uint32Array(nodeCount);
    this.order = new Int32Array(nodeCount);
  }

  reached(n: number) {
    return this.generation > 0 && this.mark[n]! >= this.generation;
  }
  settled(n: number) {
    return this.mark[n] === this.generation + 1;
  }
  cost(n: number) {
    return this.reached(n) ? this.costs[n]! : Infinity;
  }

  /** Every node within `maxCost` of the seeds; returns how many were settled (the first ones of `order`). */
  run(seeds: readonly Seed[], maxCost: number): number {
    this.generation += 2;
    if (this.generation >= 0xfffffff0) {
      this.mark.fill(0);
      this.generation = 2;
    }
    const reached = this.generation;
    const settled = reached + 1;
    const { start, other, weight } = this.graph;
    const { costs, mark, order, first } = this;
    // an unbounded search is one bucket: a plain heap
    const bounded = Number.isFinite(maxCost);
    const width = bounded ? Math.max(BUCKET_S, maxCost / MAX_BUCKETS) : 1;
    const buckets = bounded ? Math.floor(maxCost / width) + 1 : 1;
    first.fill(-1, 0, buckets);
    this.entries = 0;
    this.current = 0;
    this.heap.clear();

    for (const s of seeds) {
      if (s.cost > maxCost) continue;
      if (mark[s.node]! >= reached && costs[s.node]! <= s.cost) continue;
      mark[s.node] = reached;
      costs[s.node] = s.cost;
      this.push(s.cost, s.node, bounded ? Math.floor(s.cost / width) : 0);
    }
    let settledCount = 0;
    for (;;) {
      while (this.heap.size === 0) {
        const b = ++this.current;
        if (b >= buckets) return settledCount;
        const { entryCost, entryNode, entryNext } = this;
        for (let e = first[b]!; e >= 0; e = entryNext[e]!) this.heap.push(entryCost[e]!, entryNode[e]!);
      }
      const key = this.heap.peekKey();
      const u = this.heap.pop();
      if (mark[u] === settled || key > costs[u]!) continue;
      mark[u] = settled;
      order[settledCount++] = u;
      for (let a = start[u]!; a < start[u + 1]!; a++) {
        const v = other[a]!;
        const m = mark[v]!;
        if (m === settled) continue;
        const c = key + weight[a]!;
        if (c > maxCost) continue;
        if (m !== reached || c < costs[v]!) {
          mark[v] = reached;
          costs[v] = c;
          this.push(c, v, bounded ? Math.floor(c / width) : 0);
        }
      }
    }
  }

  /** into the heap when in the bucket being settled, else filed under its own bucket `b` */
  private push(c: number, v: number, b: number): void {
    if (b === this.current) {
      this.heap.push(c, v);
      return;
    }
    if (this.entries === this.entryCost.length) this.grow();
    const e = this.entries++;
    this.entryCost[e] = c;
    this.entryNode[e] = v;
    this.entryNext[e] = this.first[b]!;
    this.first[b] = e;
  }

  private grow(): void {
    const n = this.entryCost.length * 2;
    const cost = new Float64Array(n);
    cost.set(this.entryCost);
    const node = new Int32Array(n);
    node.set(this.entryNode);
    const next = new Int32Array(n);
    next.set(this.entryNext);
    this.entryCost = cost;
    this.entryNode = node;
    this.entryNext = next;
  }
}
