import type { PurchaseCategory } from '@huitou/schemas';
import { Prng } from './prng.ts';

/** Fixed word lists and the product catalogue of the demo shop. */

export interface DemoProduct {
  readonly id: number;
  readonly sku: string;
  readonly name: string;
  readonly category: PurchaseCategory;
  readonly listPrice: number;
  readonly role: 'traffic' | 'edge' | 'profit';
}

interface ProductLine {
  readonly names: readonly string[];
  /** Median list price in yuan. */
  readonly medianPrice: number;
}

const productLines: Record<PurchaseCategory, ProductLine> = {
  food: {
    names: [
      '坚果礼盒',
      '牛肉干',
      '每日坚果',
      '挂耳咖啡',
      '红枣',
      '蜂蜜',
      '婴儿米粉',
      '奶粉 3罐装',
      '燕麦片',
      '海苔',
      '花茶',
      '辣条',
      '饼干',
      '果干',
    ],
    medianPrice: 69,
  },
  kids_clothing: {
    names: [
      '儿童卫衣',
      '婴儿连体衣',
      '童装羽绒服',
      '儿童T恤',
      '女童连衣裙',
      '男童运动裤',
      '儿童袜子 5双',
      '宝宝睡衣',
      '儿童外套',
      '学步鞋',
    ],
    medianPrice: 129,
  },
  daily_goods: {
    names: [
      '洗衣液',
      '抽纸 24包',
      '牙膏套装',
      '洗发水',
      '沐浴露',
      '湿巾',
      '垃圾袋',
      '洗洁精',
      '纸尿裤',
      '保鲜膜',
      '面霜',
      '洗面奶',
    ],
    medianPrice: 49,
  },
  durables: {
    names: [
      '电饭煲',
      '空气炸锅',
      '吸尘器',
      '电动牙刷',
      '加湿器',
      '儿童安全座椅',
      '婴儿推车',
      '破壁机',
      '电热水壶',
      '台灯',
    ],
    medianPrice: 399,
  },
};

const roles = { traffic: 0.2, edge: 0.3, profit: 0.5 } as const;

/** The catalogue is the same for every seed, so product ids are stable across demo shops. */
export function demoCatalog(): readonly DemoProduct[] {
  const rng = new Prng(20261111);
  const products: DemoProduct[] = [];
  for (const category of Object.keys(productLines) as PurchaseCategory[]) {
    const line = productLines[category];
    for (const base of line.names) {
      for (const variant of ['', ' 升级款']) {
        const role = rng.weighted(roles);
        // Traffic products are cheap door-openers, profit products the dearer ones.
        const factor = role === 'traffic' ? 0.5 : role === 'edge' ? 0.85 : 1.3;
        const price = Math.max(9.9, Math.round(rng.logNormal(line.medianPrice * factor, 0.35)) - 0.1);
        const id = products.length + 1;
        products.push({
          id,
          sku: `DEMO-${String(id).padStart(4, '0')}`,
          name: base + variant,
          category,
          listPrice: price,
          role,
        });
      }
    }
  }
  return products;
}

export const categoryWeights: Readonly<Record<PurchaseCategory, number>> = {
  food: 0.35,
  daily_goods: 0.3,
  kids_clothing: 0.2,
  durables: 0.15,
};

/** Provinces with rough weights and a few cities each. */
export const regions: readonly { province: string; weight: number; cities: readonly string[] }[] = [
  { province: '广东', weight: 12, cities: ['广州', '深圳', '东莞', '佛山'] },
  { province: '浙江', weight: 9, cities: ['杭州', '宁波', '温州'] },
  { province: '江苏', weight: 9, cities: ['南京', '苏州', '无锡'] },
  { province: '山东', weight: 7, cities: ['济南', '青岛', '烟台'] },
  { province: '上海', weight: 6, cities: ['上海'] },
  { province: '北京', weight: 5, cities: ['北京'] },
  { province: '四川', weight: 6, cities: ['成都', '绵阳'] },
  { province: '河南', weight: 6, cities: ['郑州', '洛阳'] },
  { province: '湖北', weight: 5, cities: ['武汉', '宜昌'] },
  { province: '福建', weight: 5, cities: ['福州', '厦门', '泉州'] },
  { province: '湖南', weight: 4, cities: ['长沙', '株洲'] },
  { province: '河北', weight: 4, cities: ['石家庄', '保定'] },
  { province: '安徽', weight: 4, cities: ['合肥', '芜湖'] },
  { province: '陕西', weight: 3, cities: ['西安'] },
  { province: '辽宁', weight: 3, cities: ['沈阳', '大连'] },
  { province: '重庆', weight: 2, cities: ['重庆'] },
];

export const nicknameParts = {
  prefixes: ['小', '阿', '大', '老', '', '', ''],
  cores: [
    '鱼',
    '猫',
    '桃',
    '米',
    '乐',
    '晴',
    '风',
    '豆',
    '糖',
    '月',
    '星',
    '兔',
    '果',
    '云',
    '雪',
    '橙',
    '叶',
    '禾',
    '安',
    '宁',
  ],
  suffixes: ['', '', '酱', '宝', '妈', '爸', '子', '儿', '_', '同学'],
} as const;

export const surnames = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
] as const;
export const givenNames = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '婷',
  '明',
  '霞',
] as const;

/** Profile tags a shop might keep (skin type, life stage, price sensitivity). */
export const tagOdds: Readonly<Record<string, number>> = {
  skin_dry: 0.12,
  skin_oily: 0.1,
  sensitive_skin: 0.06,
  student: 0.08,
  office_worker: 0.2,
  bargain_hunter: 0.15,
};
