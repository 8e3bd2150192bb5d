/**
 * Enterprises and premises under safety supervision, in the urban core, the town centres and one
 * industrial park. Categories follow the seeds (SAFETY_CATEGORIES): shops, rental housing, elderly care
 * and entertainment venues in town; hazardous chemicals, dust-explosion risks and the chemical park in
 * the park. Risk colours are assigned by rank of a category-weighted score so the mix is exactly
 * about 3 / 12 / 35 / 50 % red / orange / yellow / blue. Hazardous-chemical sites keep 300 m from fire
 * stations (建标152-2017).
 */
import type { RiskColour, SafetyCategory } from '../../shared/src/domain.ts';
import { STATION_MIN_DISTANCE_FROM_HAZCHEM_M } from '../../shared/src/standards.ts';
import type { XY } from './geo.ts';
import { shortTownName, shortVillageName, tradeName } from './names.ts';
import type { Rng } from './prng.ts';
import { unitGridCode, type Station } from './stations.ts';
import type { World } from './world.ts';

export interface Enterprise {
  code: string;
  name: string;
  category: SafetyCategory;
  risk: RiskColour;
  gridCode: string | null;
  employees: number;
  address: string;
  x: number;
  y: number;
}

const TOWN_MIX: [SafetyCategory, number][] = [
  ['fire_safety', 30],
  ['rental_housing', 17],
  ['entertainment_venue', 10],
  ['elderly_care', 6],
  ['special_equipment', 8],
  ['construction', 7],
  ['road_traffic', 6],
  ['lpg', 5],
  ['dust_explosion', 4],
  ['hazardous_chemicals', 3],
  ['fireworks', 2],
  ['hazardous_waste', 1],
];
const PARK_MIX: [SafetyCategory, number][] = [
  ['hazardous_chemicals', 34],
  ['dust_explosion', 18],
  ['chemical_park', 10],
  ['special_equipment', 10],
  ['fire_safety', 12],
  ['hazardous_waste', 8],
  ['construction', 4],
  ['road_traffic', 4],
];
/** Base risk score by category (higher = more likely red/orange). */
const RISK_BASE: Record<SafetyCategory, number> = {
  hazardous_chemicals: 2.1,
  chemical_park: 1.9,
  fireworks: 1.7,
  dust_explosion: 1.5,
  lpg: 1.4,
  hazardous_waste: 1.3,
  entertainment_venue: 1.0,
  elderly_care: 1.0,
  rental_housing: 0.8,
  construction: 0.8,
  special_equipment: 0.6,
  fire_safety: 0.6,
  road_traffic: 0.6,
};
const EMPLOYEES: Record<SafetyCategory, [number, number]> = {
  hazardous_chemicals: [20, 400],
  chemical_park: [30, 600],
  fireworks: [1, 6],
  dust_explosion: [15, 300],
  lpg: [3, 20],
  hazardous_waste: [10, 120],
  entertainment_venue: [5, 60],
  elderly_care: [8, 80],
  rental_housing: [0, 3],
  construction: [20, 300],
  special_equipment: [10, 200],
  fire_safety: [3, 250],
  road_traffic: [10, 200],
};

/** Shops, stations and rooms rather than companies: a handful of staff. */
const SMALL_PREMISES = /加油站|经营部|店|超市|商行|零售点|供应站|出租房|网吧|棋牌室|酒吧|游艺厅/u;

/** USCC (GB 32100-2015) character set and weights; the check character makes the codes well-formed. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c]!;
}

export function syntheticUscc(districtCode: string, rng: Rng): string {
  let body = '91' + districtCode;
  for (let i = 0; i < 9; i++) body += USCC_CHARS[rng.int(0, USCC_CHARS.length - 1)]!;
  return body + usccCheck(body);
}

function nameFor(cat: SafetyCategory, town: string, village: string, rng: Rng): string {
  const t = tradeName(rng);
  switch (cat) {
    case 'fire_safety':
      return rng.chance(0.6)
        ? `${t}${rng.pick(['商贸', '服装', '家具', '五金', '电器', '食品', '纺织', '木业', '塑业', '机械', '电子', '印务'])}有限公司`
        : `${t}${rng.pick(['超市', '宾馆', '大酒店', '饭店', '建材商行', '农资店', '百货商场', '家居广场'])}`;
    case 'rental_housing':
      return rng.chance(0.5)
        ? `${village}${rng.int(1, 99)}号出租房`
        : `${t}${rng.pick(['公寓', '青年公寓', '员工宿舍'])}`;
    case 'entertainment_venue':
      return `${t}${rng.pick(['KTV', '网吧', '歌舞厅', '足浴中心', '影城', '游艺厅', '棋牌室', '酒吧'])}`;
    case 'elderly_care':
      return `${town}${rng.pick(['敬老院', '养老院', '颐养中心', '老年公寓', '福寿园养老服务中心'])}`;
    case 'lpg':
      return `${town}${t}液化气供应站`;
    case 'fireworks':
      return `${town}${t}烟花爆竹零售点`;
    case 'special_equipment':
      return `${t}${rng.pick(['电梯工程', '锅炉', '起重设备', '压力容器', '物业管理'])}有限公司`;
    case 'hazardous_chemicals':
      return rng.chance(0.4)
        ? `${t}${rng.pick(['加油站', '危险化学品经营部', '油品经营部'])}`
        : `${t}${rng.pick(['化工', '化学', '涂料', '农化'])}有限公司`;
    case 'chemical_park':
      return `${t}${rng.pick(['新材料', '精细化工', '新能源材料', '医药化工'])}有限公司`;
    case 'dust_explosion':
      return `${t}${rng.pick(['木业', '面粉', '饲料', '金属制品', '粮食加工', '铝业'])}有限公司`;
    case 'hazardous_waste':
      return `${t}${rng.pick(['环保科技', '固废处置', '再生资源'])}有限公司`;
    case 'road_traffic':
      return `${town}${t}${rng.pick(['运输有限公司', '客运有限公司', '物流有限公司', '驾驶培训有限公司'])}`;
    case 'construction':
      return `${t}${rng.pick(['建设工程', '建筑安装工程', '市政工程', '装饰工程'])}有限公司`;
  }
}

export function buildEnterprises(world: World, stations: readonly Station[], rng: Rng): Enterprise[] {
  const urban = world.admin.urban;
  const totalPop = world.admin.villages.reduce((s, v) => s + v.population, 0);
  const total = Math.max(1000, Math.min(2000, Math.round((totalPop / 1000) * 1.5)));
  const parkIdx = urban.centres.findIndex((c) => c.kind === 'park');
  const parkCount = parkIdx >= 0 ? Math.round(total * 0.14) : 0;
  // urban nodes grouped by centre
  const byCentre = urban.centres.map(() => [] as number[]);
  for (let v = 0; v < world.roads.x.length; v++) {
    if (world.degree[v]! < 2) continue;
    const z = urban.zoneAt(world.roads.x[v]!, world.roads.y[v]!);
    if (z.level <= 2 && z.centre >= 0) byCentre[z.centre]!.push(v);
  }
  const weights = urban.centres.map((c, i) =>
    i === parkIdx || byCentre[i]!.length === 0 ? 0 : Math.pow(c.pop, 0.9),
  );
  const wSum = weights.reduce((a, b) => a + b, 0);
  const quota = weights.map((w) => Math.round(((total - parkCount) * w) / wSum));
  if (parkIdx >= 0) quota[parkIdx] = parkCount;
  const fireNodes = stations.filter((s) => s.tier !== 'micro_station').map((s) => world.nodeXY(s.node));
  const tooCloseToStation = (x: number, y: number): boolean =>
    fireNodes.some(([sx, sy]) => Math.hypot(sx - x, sy - y) < STATION_MIN_DISTANCE_FROM_HAZCHEM_M + 20);

  const drafts: { x: number; y: number; cat: SafetyCategory }[] = [];
  urban.centres.forEach((c, ci) => {
    const nodes = byCentre[ci]!;
    if (nodes.length === 0) return;
    const crng = rng.fork(`centre-${ci}`);
    const mix = ci === parkIdx ? PARK_MIX : TOWN_MIX;
    for (let k = 0; k < quota[ci]!; k++) {
      const cat = crng.weighted(
        mix.map((m) => m[0]),
        mix.map((m) => m[1]),
      );
      for (let attempt = 0; attempt < 30; attempt++) {
        const v = nodes[crng.int(0, nodes.length - 1)]!;
        const ang = crng.range(0, 2 * Math.PI);
        const d = crng.range(18, 45);
        const p: XY = [world.roads.x[v]! + d * Math.cos(ang), world.roads.y[v]! + d * Math.sin(ang)];
        if (!world.unitAt(p[0], p[1])) continue;
        if ((cat === 'hazardous_chemicals' || cat === 'chemical_park') && tooCloseToStation(p[0], p[1]))
          continue;
        drafts.push({ x: p[0], y: p[1], cat });
        break;
      }
    }
  });

  // risk by rank of a category-weighted score: 3 % red, 12 % orange, 35 % yellow, 50 % blue
  const rrng = rng.fork('risk');
  const scores = drafts.map((d) => RISK_BASE[d.cat] + rrng.normal(0, 0.55));
  const order = drafts.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const risk: RiskColour[] = new Array<RiskColour>(drafts.length);
  const n = drafts.length;
  const cut = [Math.round(n * 0.03), Math.round(n * 0.15), Math.round(n * 0.5)];
  order.forEach((i, rank) => {
    risk[i] = rank < cut[0]! ? 'red' : rank < cut[1]! ? 'orange' : rank < cut[2]! ? 'yellow' : 'blue';
  });

  const codes = new Set<string>();
  const names = new Set<string>();
  const erng = rng.fork('details');
  return drafts.map((d, i) => {
    const unit = world.unitAt(d.x, d.y)!;
    const town = shortTownName(unit.village.town.def.name);
    const village = shortVillageName(unit.village.def.name);
    let code = syntheticUscc(world.input.code, erng);
    while (codes.has(code)) code = syntheticUscc(world.input.code, erng);
    codes.add(code);
    const base = nameFor(d.cat, town, village, erng);
    const city = world.input.cityName.replace(/市$/u, '');
    const variants = [
      base,
      base.startsWith(town) ? `${city}${base}` : `${town}${base}`,
      `${base}（${village}）`,
    ];
    let name = variants.find((v) => !names.has(v)) ?? base;
    for (let k = 2; names.has(name); k++) name = `${base}（${k}）`;
    names.add(name);
    const [e0, e1] = SMALL_PREMISES.test(name) ? [2, 25] : EMPLOYEES[d.cat];
    const employees = Math.round(e0 + (e1 - e0) * Math.pow(erng.next(), 2.2));
    return {
      code,
      name,
      category: d.cat,
      risk: risk[i]!,
      gridCode: unitGridCode(unit.village.def.code, unit.index),
      employees,
      address: world.address(d.x, d.y, erng),
      x: d.x,
      y: d.y,
    };
  });
}
