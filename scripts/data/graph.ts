/** Graph helpers for the road network: union-find, strongly connected components, Dijkstra. */

export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(a: number): number {
    let r = a;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[a] !== r) {
      const next = this.parent[a]!;
      this.parent[a] = r;
      a = next;
    }
    return r;
  }

  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]! || (this.size[ra] === this.size[rb] && rb < ra)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return true;
  }

  sizeOf(a: number): number {
    return this.size[this.find(a)]!;
  }
}

export interface DirectedEdges {
  /** Node count. */
  n: number;
  a: Int32Array;
  b: Int32Array;
  /** 1 where only a→b is allowed. */
  oneway: Uint8Array;
}

/** Compressed adjacency of the directed graph (two-way edges in both directions). */
export function adjacency(
  g: DirectedEdges,
  reverse = false,
): { start: Int32Array; to: Int32Array; edge: Int32Array } {
  const m = g.a.length;
  const deg = new Int32Array(g.n + 1);
  for (let e = 0; e < m; e++) {
    const from = reverse ? g.b[e]! : g.a[e]!;
    const back = reverse ? g.a[e]! : g.b[e]!;
    deg[from]!++;
    if (!g.oneway[e]) deg[back]!++;
  }
  const start = new Int32Array(g.n + 1);
  for (let i = 0; i < g.n; i++) start[i + 1] = start[i]! + deg[i]!;
  const fill = start.slice(0, g.n);
  const to = new Int32Array(start[g.n]!);
  const edge = new Int32Array(start[g.n]!);
  for (let e = 0; e < m; e++) {
    const from = reverse ? g.b[e]! : g.a[e]!;
    const back = reverse ? g.a[e]! : g.b[e]!;
    to[fill[from]!] = back;
    edge[fill[from]!++] = e;
    if (!g.oneway[e]) {
      to[fill[back]!] = from;
      edge[fill[back]!++] = e;
    }
  }
  return { start, to, edge };
}

/** Nodes reachable from `src` following the arcs. */
function reach(adj: { start: Int32Array; to: Int32Array }, n: number, src: number): Uint8Array {
  const seen = new Uint8Array(n);
  const stack = [src];
  seen[src] = 1;
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (let k = adj.start[u]!; k < adj.start[u + 1]!; k++) {
      const v = adj.to[k]!;
      if (!seen[v]) {
        seen[v] = 1;
        stack.push(v);
      }
    }
  }
  return seen;
}

/**
 * Members of the strongly connected component containing `src`: nodes reachable from src and from which
 * src is reachable.
 */
export function sccOf(g: DirectedEdges, src: number): Uint8Array {
  const fwd = reach(adjacency(g), g.n, src);
  const bwd = reach(adjacency(g, true), g.n, src);
  const out = new Uint8Array(g.n);
  for (let i = 0; i < g.n; i++) out[i] = fwd[i]! & bwd[i]!;
  return out;
}

/** Undirected connected-component labels (0..k-1, by first appearance) and their sizes. */
export function undirectedComponents(g: DirectedEdges): { label: Int32Array; sizes: number[] } {
  const uf = new UnionFind(g.n);
  for (let e = 0; e < g.a.length; e++) uf.union(g.a[e]!, g.b[e]!);
  const label = new Int32Array(g.n).fill(-1);
  const sizes: number[] = [];
  const rootLabel = new Map<number, number>();
  for (let i = 0; i < g.n; i++) {
    const r = uf.find(i);
    let l = rootLabel.get(r);
    if (l === undefined) {
      l = sizes.length;
      rootLabel.set(r, l);
      sizes.push(0);
    }
    label[i] = l;
    sizes[l]!++;
  }
  return { label, sizes };
}

/** Binary min-heap of (key, value) with numeric keys. */
export class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, val: number): void {
    const k = this.keys;
    const v = this.vals;
    let i = k.length;
    k.push(key);
    v.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! < key || (k[p] === key && v[p]! <= val)) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = val;
  }

  /** Removes the minimum; returns [key, value]. */
  pop(): [number, number] {
    const k = this.keys;
    const v = this.vals;
    const topK = k[0]!;
    const topV = v[0]!;
    const lastK = k.pop()!;
    const lastV = v.pop()!;
    const n = k.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (k[r]! < k[l]! || (k[r] === k[l] && v[r]! < v[l]!))) c = r;
        if (k[c]! > lastK || (k[c] === lastK && v[c]! >= lastV)) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lastK;
      v[i] = lastV;
    }
    return [topK, topV];
  }
}

/** Multi-source Dijkstra over edge costs (seconds); returns the cost to every node (Infinity when unreachable). */
export function dijkstra(g: DirectedEdges, cost: Float64Array, sources: readonly number[]): Float64Array {
  const adj = adjacency(g);
  const dist = new Float64Array(g.n).fill(Infinity);
  const heap = new MinHeap();
  for (const s of sources) {
    dist[s] = 0;
    heap.push(0, s);
  }
  while (heap.size > 0) {
    const [d, u] = heap.pop();
    if (d > dist[u]!) continue;
    for (let k = adj.start[u]!; k < adj.start[u + 1]!; k++) {
      const v = adj.to[k]!;
      const nd = d + cost[adj.edge[k]!]!;
      if (nd < dist[v]!) {
        dist[v] = nd;
        heap.push(nd, v);
      }
    }
  }
  return dist;
}
