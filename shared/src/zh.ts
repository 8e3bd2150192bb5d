/**
 * The Chinese names of the domain's codes, one source for the wall's zh-CN locale and the documents the
 * server writes in Chinese (printable pages, Excel workbooks).
 */
import type { Department } from './auth.ts';
import type { SafetyCategory } from './domain.ts';
import type { HazardLevel } from './hazard-workflow.ts';

export const CATEGORY_ZH: Record<SafetyCategory, string> = {
  fire_safety: '消防安全',
  rental_housing: '出租房屋',
  lpg: '瓶装液化气',
  fireworks: '烟花爆竹',
  entertainment_venue: '文化娱乐场所',
  special_equipment: '特种设备',
  hazardous_chemicals: '危险化学品',
  road_traffic: '道路交通',
  construction: '建筑施工',
  dust_explosion: '粉尘涉爆',
  hazardous_waste: '危险废物',
  elderly_care: '养老机构',
  chemical_park: '化工园区',
};

export const DEPARTMENT_ZH: Record<Department, string> = {
  fire: '消防救援',
  emergency: '应急管理',
  housing: '住房建设',
  market: '市场监管',
  transport: '交通运输',
  environment: '生态环境',
  education: '教育',
};

export const HAZARD_STATE_ZH = {
  reported: '待分类',
  classified: '待派发',
  assigned: '已派发',
  handling: '处置中',
  checking: '待核查',
  closed: '已办结',
} as const;

export const HAZARD_LEVEL_ZH: Record<HazardLevel, string> = {
  village: '村（社区）',
  town: '乡镇（街道）',
  county: '区县',
  department: '县级部门',
};

export const SEVERITY_ZH = { general: '一般隐患', major: '重大隐患', none: '未分类' } as const;
