/**
 * The simulator: grid members patrolling their grids along the road network and reporting hazards,
 * through the public API exactly as handhelds do (accounts and devices made by an administrator, fixes
 * to POST /api/positions with device tokens, reports to POST /api/hazards with an Idempotency-Key).
 *
 * Realistic by default (a fix every 10 s at walking or e-bike speed, a report every couple of minutes
 * across the county); `ratePerS` sets the fixes per second across all members for load.
 */
import { randomUUID } from 'node:crypto';
import { centroid } from '@turf/turf';
import { SAFETY_CATEGORIES } from '../../../shared/src/domain.ts';
import { buildWalkNetwork, seededRandom, Walker, type LonLat, type RoadFeature } from './network.ts';

export interface SimulatorOptions {
  /** the server's base URL */
  url: string;
  /** an administrator's credentials (accounts and devices are made through the API) */
  admin: { username: string; password: string };
  /** simulated grid members */
  members: number;
  /** fixes per second across all members; unset = realistic (one fix per member every 10 s) */
  ratePerS?: number;
  /** hazard reports per hour across all members */
  hazardsPerHour: number;
  seed: number;
  /** prefix of the simulated accounts' usernames and tracker ids */
  prefix?: string;
  log?: (msg: string) => void;
  /** told of everything the server acknowledged (2xx): a member's fixes, or a hazard report's id */
  onAcknowledged?: (ack: SimulatorAck) => void;
}

export type SimulatorAck =
  | { kind: 'positions'; username: string; fixes: { fixAt: string; lon: number; lat: number }[] }
  | { kind: 'hazard'; username: string; id: number; idempotencyKey: string };

export interface SimulatorStats {
  members: number;
  fixesSent: number;
  fixesAcknowledged: number;
  requestsFailed: number;
  hazardsReported: number;
  startedAt: string;
}

interface Member {
  username: string;
  name: string;
  village: string;
  token: string;
  walker: Walker;
  speedMs: number;
  pending: Array<{ lon: number; lat: number; fixAt: string; speedKmh: number; bearing: number }>;
}

interface VillageFeature {
  geometry: GeoJSON.MultiPolygon;
  properties: { code: string; name: string; admin_code: string };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = [
  '建国',
  '海燕',
  '志强',
  '秀英',
  '立新',
  '桂兰',
  '永红',
  '国华',
  '玉梅',
  '军',
  '敏',
  '静',
  '伟',
  '丽',
  '磊',
  '洋',
  '艳',
  '勇',
  '杰',
  '娟',
];

/** What a grid member writes when they find something, per category (the seeds' typical hazards). */
const FINDINGS: Record<string, string[]> = {
  fire_safety: ['楼道堆放杂物，堵塞安全出口', '灭火器过期未更换', '消防通道被车辆占用'],
  rental_housing: ['出租房电动车室内充电', '群租房私拉乱接电线', '出租屋无独立疏散通道'],
  lpg: ['餐馆液化气钢瓶与灶具距离不足', '液化气钢瓶无检验标识', '钢瓶放置在地下室'],
  fireworks: ['无证销售烟花爆竹', '烟花爆竹存放在居住场所'],
  entertainment_venue: ['歌舞厅应急照明损坏', 'KTV包间装修使用易燃材料'],
  special_equipment: ['电梯年检超期', '锅炉操作人员无证上岗'],
  hazardous_chemicals: ['危化品仓库未设防爆电器', '危化品与普通货物混存'],
  road_traffic: ['村道急弯处缺少警示标志', '农用车违规载人'],
  construction: ['工地脚手架未设安全网', '基坑周边无防护栏杆'],
  dust_explosion: ['粉尘车间积尘未及时清理', '除尘设备未接地'],
  hazardous_waste: ['危险废物露天堆放', '危废暂存间无标识'],
  elderly_care: ['养老院夜间值班人员不足', '养老机构疏散通道上锁'],
  chemical_park: ['园区企业可燃气体报警器失效', '化工企业动火作业无审批'],
};

const CATEGORY_WEIGHTS: Array<[string, number]> = SAFETY_CATEGORIES.map((c) => [
  c,
  c === 'fire_safety' || c === 'rental_housing' ? 5 : c === 'lpg' || c === 'construction' ? 3 : 1,
]);

export class Simulator {
  private readonly random: () => number;
  private readonly prefix: string;
  private readonly log: (msg: string) => void;
  private adminToken = '';
  private members: Member[] = [];
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private inFlight = new Set<Promise<unknown>>();
  readonly stats: SimulatorStats;

  constructor(private readonly options: SimulatorOptions) {
    this.random = seededRandom(options.seed);
    this.prefix = options.prefix ?? 'sim';
    this.log = options.log ?? (() => {});
    this.stats = {
      members: 0,
      fixesSent: 0,
      fixesAcknowledged: 0,
      requestsFailed: 0,
      hazardsReported: 0,
      startedAt: new Date().toISOString(),
    };
  }

  private async call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${init.token ?? this.adminToken}`);
    if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
    return fetch(`${this.options.url}${path}`, { ...init, headers });
  }

  private async json<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
    const res = await this.call(path, init);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  private async signIn(): Promise<void> {
    const res = await fetch(`${this.options.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.options.admin),
    });
    if (!res.ok) throw new Error(`simulator sign-in as ${this.options.admin.username}: ${res.status}`);
    this.adminToken = ((await res.json()) as { token: string }).token;
  }

  private pickVillages(villages: VillageFeature[], n: number): VillageFeature[] {
    const pool = [...villages];
    const out: VillageFeature[] = [];
    while (out.length < n && pool.length > 0) {
      out.push(pool.splice(Math.floor(this.random() * pool.length), 1)[0]!);
    }
    return out;
  }

  /** The account and device of simulated member `i` in `village` (reused when they exist). */
  private async enrol(
    i: number,
    village: VillageFeature,
  ): Promise<{ username: string; name: string; token: string }> {
    const username = `${this.prefix}${String(i + 1).padStart(3, '0')}`;
    const name = `${SURNAMES[Math.floor(this.random() * SURNAMES.length)]}${GIVEN[Math.floor(this.random() * GIVEN.length)]}`;
    const users = await this.json<Array<{ id: number; username: string; displayName: string }>>('/api/users');
    const user =
      users.find((u) => u.username === username) ??
      (await this.json<{ id: number; username: string; displayName: string }>('/api/users', {
        method: 'POST',
        body: JSON.stringify({
          username,
          displayName: `${name}（模拟）`,
          role: 'grid_member',
          scope: village.properties.admin_code,
          password: randomUUID(),
        }),
      }));
    // a fresh device each run (a token is shown only when issued); the previous ones are revoked
    const devices =
      await this.json<Array<{ id: number; userId: number; revokedAt: string | null }>>('/api/devices');
    for (const d of devices.filter((d) => d.userId === user.id && !d.revokedAt)) {
      await this.call(`/api/devices/${d.id}`, { method: 'DELETE' });
    }
    const device = await this.json<{ token: string }>('/api/devices', {
      method: 'POST',
      body: JSON.stringify({
        name: `模拟终端 ${username}`,
        userId: user.id,
        trackerId: `${this.prefix}-${username}`,
      }),
    });
    return { username, name: user.displayName, token: device.token };
  }

  private async roadsAround(village: VillageFeature): Promise<RoadFeature[]> {
    const coords = village.geometry.coordinates.flat(2) as LonLat[];
    const lons = coords.map((c) => c[0]);
    const lats = coords.map((c) => c[1]);
    const pad = 0.01;
    const bbox = [
      Math.min(...lons) - pad,
      Math.min(...lats) - pad,
      Math.max(...lons) + pad,
      Math.max(...lats) + pad,
    ];
    const page = await this.json<{ features: RoadFeature[] }>(
      `/ogc/collections/roads/items?limit=10000&bbox=${bbox.map((v) => v.toFixed(5)).join(',')}`,
    );
    return page.features;
  }

  async start(): Promise<void> {
    const { members, ratePerS } = this.options;
    await this.signIn();
    const villages = (
      await this.json<{ features: VillageFeature[] }>('/ogc/collections/grids/items?level=village&limit=1000')
    ).features;
    for (const [i, village] of this.pickVillages(villages, members).entries()) {
      const roads = await this.roadsAround(village);
      const net = buildWalkNetwork(roads);
      const home = centroid(village.geometry).geometry.coordinates as LonLat;
      const nodes = [...net.edges.keys()];
      if (nodes.length === 0) continue;
      // start at the node nearest the village's centre
      const start = nodes.reduce((best, n) => {
        const a = net.nodes.get(n)!;
        const b = net.nodes.get(best)!;
        return Math.hypot(a[0] - home[0], a[1] - home[1]) < Math.hypot(b[0] - home[0], b[1] - home[1])
          ? n
          : best;
      });
      const who = await this.enrol(i, village);
      const onBike = this.random() < 0.4;
      this.members.push({
        ...who,
        village: village.properties.admin_code,
        walker: new Walker(net, start, home, 900, this.random),
        speedMs: onBike ? 4 + this.random() * 2 : 1.1 + this.random() * 0.5,
        pending: [],
      });
    }
    this.stats.members = this.members.length;
    this.running = true;
    // Each member keeps its own clock, as handhelds do: the members' sends are spread evenly over the
    // period instead of all leaving at the same instant (which would turn a steady rate into one burst
    // a period). Realistic: a fix every 10 s each. Load: fixes at `ratePerS` across the members, each
    // member sending what it has once a second.
    if (ratePerS) {
      const interval = this.members.length / ratePerS;
      // timers fire late: every round due by the clock is walked, so the rate is the rate asked for
      // (after a stall of more than 5 s the rounds missed are dropped rather than sent in one burst)
      let due = performance.now() + interval * 1000;
      this.timers.push(
        setInterval(() => {
          const now = performance.now();
          if (now - due > 5_000) due = now;
          for (; due <= now; due += interval * 1000)
            this.tick(interval, new Date(performance.timeOrigin + due).toISOString());
        }, interval * 1000),
      );
      this.timers.push(this.inTurn(1, (m) => this.flush(m)));
    } else {
      this.timers.push(
        this.inTurn(10, (m) => {
          this.advance(m, 10, new Date().toISOString());
          this.flush(m);
        }),
      );
    }
    if (this.options.hazardsPerHour > 0) {
      this.timers.push(setInterval(() => this.reportHazard(), 3_600_000 / this.options.hazardsPerHour));
    }
    for (const t of this.timers) t.unref();
    this.log(
      `simulating ${this.members.length} grid members (${ratePerS ? `${ratePerS} fixes/s` : 'a fix every 10 s each'}), ` +
        `${this.options.hazardsPerHour} hazard reports an hour`,
    );
  }

  /** Every member in turn, one every `periodS / members` seconds, so each comes round once a period. */
  private inTurn(periodS: number, act: (m: Member) => void): NodeJS.Timeout {
    let next = 0;
    return setInterval(
      () => {
        const m = this.members[next++ % this.members.length];
        if (m) act(m);
      },
      (periodS * 1000) / Math.max(1, this.members.length),
    );
  }

  private tick(dtS: number, fixAt: string): void {
    for (const m of this.members) this.advance(m, dtS, fixAt);
  }

  /** Walks a member on for `dtS` seconds and keeps the fix to send. */
  private advance(m: Member, dtS: number, fixAt: string): void {
    m.walker.advance(m.speedMs * dtS);
    const [lon, lat] = m.walker.position;
    m.pending.push({
      lon: Number(lon.toFixed(7)),
      lat: Number(lat.toFixed(7)),
      fixAt,
      speedKmh: Number((m.speedMs * 3.6).toFixed(1)),
      bearing: Math.round(m.walker.heading) % 360,
    });
  }

  private track<T>(p: Promise<T>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Sends what a member has pending as one batch. */
  private flush(m: Member): void {
    if (m.pending.length === 0) return;
    const positions = m.pending.splice(0, m.pending.length);
    this.stats.fixesSent += positions.length;
    this.track(
      this.call('/api/positions', {
        method: 'POST',
        token: m.token,
        body: JSON.stringify({ positions }),
      }).then(
        async (res) => {
          await res.arrayBuffer();
          if (res.ok) {
            this.stats.fixesAcknowledged += positions.length;
            this.options.onAcknowledged?.({ kind: 'positions', username: m.username, fixes: positions });
          } else this.stats.requestsFailed += 1;
        },
        () => {
          this.stats.requestsFailed += 1;
        },
      ),
    );
  }

  private category(): string {
    const total = CATEGORY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    let r = this.random() * total;
    for (const [c, w] of CATEGORY_WEIGHTS) {
      r -= w;
      if (r < 0) return c;
    }
    return 'fire_safety';
  }

  private reportHazard(): void {
    if (this.members.length === 0) return;
    const m = this.members[Math.floor(this.random() * this.members.length)]!;
    const category = this.category();
    const findings = FINDINGS[category] ?? ['发现安全隐患'];
    const [lon, lat] = m.walker.position;
    const body = {
      category,
      description: `${findings[Math.floor(this.random() * findings.length)]}（模拟数据）`,
      location: { lon: Number(lon.toFixed(7)), lat: Number(lat.toFixed(7)), crs: 'wgs84' },
    };
    const idempotencyKey = randomUUID();
    this.track(
      this.call('/api/hazards', {
        method: 'POST',
        token: m.token,
        headers: { 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      }).then(
        async (res) => {
          const answer = (await res.json().catch(() => ({}))) as { id?: number };
          if (res.ok) {
            this.stats.hazardsReported += 1;
            this.options.onAcknowledged?.({
              kind: 'hazard',
              username: m.username,
              id: Number(answer.id),
              idempotencyKey,
            });
          } else this.stats.requestsFailed += 1;
        },
        () => {
          this.stats.requestsFailed += 1;
        },
      ),
    );
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.allSettled([...this.inFlight]);
  }

  get isRunning(): boolean {
    return this.running;
  }
}
