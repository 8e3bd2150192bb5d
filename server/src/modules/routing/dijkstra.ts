/**
 * Dijkstra over an Adjacency with a binary heap in typed arrays (lazy deletion: a node may be pushed
 * more than once and stale entries are skipped when popped). Buffers are kept between searches and
 * reset by a generation stamp, so a search costs only the nodes it touches.
 */
import type { Adjacency } from './graph.ts';

export interface Seed {
  node: number;
  /** cost already spent to reach it (the partial edge from the snapped point) */
  cost: number;
  /** metres already spent */
  metres: number;
  /** carried to every node this seed reaches first (which force a node belongs to); 0 when absent */
  label?: number;
}

export interface SearchOptions {
  /** stop once the smallest cost left exceeds this */
  maxCost?: number;
  /** multiplier per arc (congestion), indexed by arc; absent = 1 */
  arcFactor?: Float64Array | null;
  /** metres of each arc (for distance along the chosen path); absent = the weight */
  arcMetres?: Float64Array | null;
  /** called when a node is settled with its final cost; return true to stop the search */
  onSettle?: (node: number, cost: number) => boolean | void;
}

/** A binary min-heap of (cost, node) pairs in typed arrays, grown as needed. */
export class MinHeap {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024);
  size = 0;

  clear() {
    this.size = 0;
  }

  push(key: number, value: number) {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    const keys = this.keys;
    const values = this.values;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  peekKey(): number {
    return this.keys[0]!;
  }

  /** Removes the smallest entry and returns its value. */
  pop(): number {
    const keys = this.keys;
    const values = this.values;
    const top = values[0]!;
    const n = --this.size;
    if (n > 0) {
      const key = keys[n]!;
      const value = values[n]!;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= key) break;
        keys[i] = keys[child]!;
        values[i] = values[child]!;
        i = child;
      }
      keys[i] = key;
      values[i] = value;
    }
    return top;
  }
}

/** One search's answer, valid until the next search on the same Dijkstra. */
export interface SearchState {
  /** whether node n was reached (settled, or labelled within the search's maxCost) in this search */
  reached(n: number): boolean;
  settled(n: number): boolean;
  cost(n: number): number;
  metres(n: number): number;
  /** the arc index by which n is reached (toward the seeds), or -1 at a seed */
  via(n: number): number;
}

export class Dijkstra implements SearchState {
  private readonly costs: Float64Array;
  private readonly metresTo: Float64Array;
  private readonly viaArc: Int32Array;
  private readonly labels: Int32Array;
  /** the nodes settled by the last run, in the order they were settled (the first `run()` returned) */
  readonly order: Int32Array;
  private readonly stamp: Uint32Array;
  private readonly done: Uint32Array;
  private generation = 0;
  private readonly heap = new MinHeap();

  constructor(
    private readonly graph: Adjacency,
    nodeCount: number,
  ) {
    this.costs = new Float64Array(nodeCount);
    this.metresTo = new Float64Array(nodeCount);
    this.viaArc = new Int32Array(nodeCount);
    this.labels = new Int32Array(nodeCount);
    this.order = new Int32Array(nodeCount);
    this.stamp = new Uint32Array(nodeCount);
    this.done = new Uint32Array(nodeCount);
  }

  reached(n: number) {
    return this.stamp[n] === this.generation;
  }
  settled(n: number) {
    return this.done[n] === this.generation;
  }
  cost(n: number) {
    return this.reached(n) ? this.costs[n]! : Infinity;
  }
  metres(n: number) {
    return this.reached(n) ? this.metresTo[n]! : Infinity;
  }
  via(n: number) {
    return this.reached(n) ? this.viaArc[n]! : -1;
  }
  /** the label of the seed that reaches n first, or -1 when n was not reached */
  label(n: number) {
    return this.reached(n) ? this.labels[n]! : -1;
  }

  /** Runs from the seeds; returns how many nodes were settled. */
  run(seeds: Seed[], options: SearchOptions = {}): number {
    if (++this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.done.fill(0);
      this.generation = 1;
    }
    const gen = this.generation;
    const { start, other, weight } = this.graph;
    const { costs, metresTo, viaArc, labels, order, stamp, done, heap } = this;
    const maxCost = options.maxCost ?? Infinity;
    const factor = options.arcFactor ?? null;
    const arcMetres = options.arcMetres ?? null;
    const onSettle = options.onSettle;
    heap.clear();
    for (const s of seeds) {
      if (stamp[s.node] === gen && costs[s.node]! <= s.cost) continue;
      stamp[s.node] = gen;
      costs[s.node] = s.cost;
      metresTo[s.node] = s.metres;
      viaArc[s.node] = -1;
      labels[s.node] = s.label ?? 0;
      heap.push(s.cost, s.node);
    }
    let settledCount = 0;
    while (heap.size > 0) {
      const key = heap.peekKey();
      const u = heap.pop();
      if (done[u] === gen || key > costs[u]!) continue;
      if (key > maxCost) break;
      done[u] = gen;
      order[settledCount++] = u;
      if (onSettle && onSettle(u, key)) break;
      for (let a = start[u]!; a < start[u + 1]!; a++) {
        const v = other[a]!;
        if (done[v] === gen) continue;
        const c = key + (factor ? weight[a]! * factor[a]! : weight[a]!);
        // beyond the budget it would never be settled: leave it out of the heap (a reach search's
        // frontier is most of what it would push)
        if (c > maxCost) continue;
        if (stamp[v] !== gen || c < costs[v]!) {
          stamp[v] = gen;
          costs[v] = c;
          metresTo[v] = metresTo[u]! + (arcMetres ? arcMetres[a]! : weight[a]!);
          viaArc[v] = a;
          labels[v] = labels[u]!;
          heap.push(c, v);
        }
      }
    }
    return settledCount;
  }
}
