/**
 * Synthetic Chinese names: people (grid members), roads, enterprises, masked phone numbers. Everything
 * here is made up; phone numbers are masked (13x****1234) so none can be dialled.
 */
import type { Rng } from './prng.ts';

/** Common surnames with rough frequency weights (most common first). */
const SURNAMES: [string, number][] = [
  ['王', 72],
  ['李', 70],
  ['张', 68],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 23],
  ['赵', 20],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 14],
  ['马', 13],
  ['朱', 13],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['林', 10],
  ['高', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 8],
  ['谢', 7],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['邓', 6],
  ['冯', 6],
  ['曹', 6],
  ['彭', 6],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['潘', 5],
  ['袁', 4],
  ['蔡', 4],
  ['蒋', 4],
  ['余', 4],
  ['于', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['魏', 4],
  ['苏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['卢', 3],
  ['姚', 3],
  ['沈', 3],
  ['钟', 3],
  ['姜', 3],
  ['崔', 3],
  ['谭', 3],
  ['陆', 3],
  ['范', 3],
  ['汪', 3],
  ['廖', 2],
  ['石', 2],
  ['金', 2],
  ['韦', 2],
  ['贾', 2],
  ['夏', 2],
  ['付', 2],
  ['方', 2],
  ['邹', 2],
  ['熊', 2],
  ['白', 2],
  ['孟', 2],
  ['秦', 2],
  ['邱', 2],
  ['侯', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
];
const GIVEN_M = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林建国峰锋亮成志海东文军'.split('');
const GIVEN_F = '芳娜敏静丽艳娟霞燕玲婷雪慧莉萍红梅琳洁颖倩琴云兰凤英桂秀佳欣悦晶'.split('');
const GIVEN_ANY = '春晓子晨嘉思雨新家玉永红德正学庆金长小立振光天'.split('');

export function personName(rng: Rng): string {
  const surname = rng.weighted(
    SURNAMES.map((s) => s[0]),
    SURNAMES.map((s) => s[1]),
  );
  const pool = rng.chance(0.5) ? GIVEN_M : GIVEN_F;
  return rng.chance(0.3) ? surname + rng.pick(pool) : surname + rng.pick(GIVEN_ANY) + rng.pick(pool);
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '157',
  '158',
  '159',
  '177',
  '180',
  '181',
  '182',
  '183',
  '187',
  '188',
  '189',
  '199',
];

/** A masked mobile number, e.g. 138****4521. */
export function maskedMobile(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}****${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

/** A masked landline, e.g. 0517-85****21. */
export function maskedLandline(rng: Rng, areaCode: string): string {
  return `${areaCode}-8${rng.int(1, 9)}****${String(rng.int(0, 99)).padStart(2, '0')}`;
}

/** 淮城街道 → 淮城, 车桥镇 → 车桥, 菱塘回族乡 → 菱塘, 白马湖农场 → 白马湖. */
export function shortTownName(name: string): string {
  const base = name.replace(/（.*?）/g, '');
  const stripped = base.replace(/(街道|回族乡|镇|乡|农场|办事处|办)$/u, '');
  return stripped.length >= 2 ? stripped : base;
}

/** 新城居委会 → 新城, 张庄村村委会 → 张庄村, 河东社区居委会 → 河东社区. */
export function shortVillageName(name: string): string {
  const stripped = name.replace(/(村民委员会|居民委员会|村委会|居委会|委员会)$/u, '');
  return stripped.length >= 2 ? stripped : name;
}

/** The name a community station goes by: 新城居委会 → 新城社区, 河东社区居委会 → 河东社区. */
export function communityName(name: string): string {
  const s = shortVillageName(name);
  return s.endsWith('社区') ? s : `${s}社区`;
}

const STREET_WORDS = [
  '人民',
  '建设',
  '解放',
  '和平',
  '胜利',
  '文化',
  '青年',
  '健康',
  '迎宾',
  '友谊',
  '长征',
  '东风',
  '朝阳',
  '光明',
  '幸福',
  '新华',
  '学府',
  '翔宇',
  '淮海',
  '枚乘',
  '承德',
  '华西',
  '城东',
  '城南',
  '城北',
  '城西',
  '体育',
  '交通',
  '水门',
  '板闸',
  '南门',
  '北门',
  '西门',
  '东门',
  '府前',
  '书院',
  '驸马',
  '钵池',
  '运河',
  '清风',
  '明远',
  '育才',
  '兴华',
  '新民',
  '振兴',
  '繁荣',
  '复兴',
  '富民',
  '民主',
  '团结',
  '向阳',
  '红旗',
  '工农',
  '前进',
  '永安',
  '仁和',
  '广场',
  '花园',
  '梅园',
  '桃园',
  '柳湖',
  '荷花',
  '月湖',
  '勺湖',
  '萧湖',
  '龙光',
  '漕运',
  '总督',
  '楚秀',
];
const DIRECTIONS = ['东', '西', '南', '北', '中'];

/** Street names, unique within one generator run. */
export class StreetNamer {
  private readonly used = new Set<string>();
  private readonly rng: Rng;
  private words: string[];

  constructor(rng: Rng) {
    this.rng = rng;
    this.words = rng.shuffle([...STREET_WORDS]);
  }

  private unique(candidates: () => string): string {
    for (let i = 0; i < 200; i++) {
      const n = candidates();
      if (!this.used.has(n)) {
        this.used.add(n);
        return n;
      }
    }
    let k = 2;
    const base = candidates();
    while (this.used.has(`${base}${k}`)) k++;
    this.used.add(`${base}${k}`);
    return `${base}${k}`;
  }

  /** Core street: 人民路, 健康东路, 学府街, 翔宇大道 ... */
  core(kind: 'avenue' | 'road' | 'street'): string {
    return this.unique(() => {
      const w =
        this.words.length > 0 && this.rng.chance(0.7) ? this.words.pop()! : this.rng.pick(STREET_WORDS);
      if (kind === 'avenue') return `${w}大道`;
      if (kind === 'road') return this.rng.chance(0.25) ? `${w}${this.rng.pick(DIRECTIONS)}路` : `${w}路`;
      return `${w}${this.rng.pick(['街', '街', '巷', '路'])}`;
    });
  }

  /** Town street: 车桥中街, 车桥建设路 ...; without a usable prefix (long park names) a plain street name. */
  town(townShort: string, main: boolean): string {
    if (townShort.length === 0 || townShort.length > 3) return this.core(main ? 'road' : 'street');
    return this.unique(() => {
      if (main) return `${townShort}${this.rng.pick(['大街', '中路', '大道', '中街'])}`;
      const w = this.rng.chance(0.4) ? this.rng.pick(DIRECTIONS) : this.rng.pick(STREET_WORDS);
      return `${townShort}${w}${this.rng.pick(['街', '路', '巷'])}`;
    });
  }

  /** Arterial between two places: 淮车公路, or 淮车线 when taken. */
  arterial(a: string, b: string): string {
    const base = `${a.slice(0, 1)}${b.slice(0, 1)}`;
    for (const suffix of ['公路', '线', '大道', '一级公路']) {
      const n = base + suffix;
      if (!this.used.has(n)) {
        this.used.add(n);
        return n;
      }
    }
    return this.unique(() => `${base}${this.rng.int(2, 9)}号公路`);
  }

  /** County road, 县道X2nn. */
  county(n: number): string {
    return this.unique(() => `县道X${200 + n}`);
  }
}

const SHOP_WORDS =
  '鑫盛宏达华泰恒通金源瑞丰永安新兴兴旺德润天成正大利民同心富民宏图恒远顺达嘉禾福兴裕丰佳和汇通九州长江淮扬运河苏北同创'.match(
    /.{2}/gu,
  )!;

/** A trade name (字号) of two characters. */
export function tradeName(rng: Rng): string {
  return rng.pick(SHOP_WORDS);
}
