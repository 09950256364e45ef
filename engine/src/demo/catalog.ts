import type { ProductRole } from '@huitou/schemas';
import { demoCategories } from '@huitou/schemas';

/** Fixed word lists and the product catalogue of the demo shop: a mother-and-baby store. */

/** The demo shop's category keys (their names: demoCategories of @huitou/schemas). */
export type DemoCategory = 'food' | 'kids_clothing' | 'daily_goods' | 'durables';
export { demoCategories };

export interface DemoProduct {
  readonly id: number;
  readonly sku: string;
  readonly name: string;
  /** What {item} prints. */
  readonly shortName: string;
  readonly category: DemoCategory;
  readonly listPrice: number;
  readonly role: ProductRole;
}

/** [title as on a marketplace listing, short name, price in yuan, role] */
type Listing = readonly [string, string, number, ProductRole];

const listings: Record<DemoCategory, readonly Listing[]> = {
  food: [
    ['婴幼儿配方奶粉3段800g*3罐 OPO结构脂 乳铁蛋白 12-36个月', '3段奶粉', 459, 'profit'],
    ['较大婴儿配方奶粉2段800g 6-12月龄 原装进口奶源', '2段奶粉', 198, 'profit'],
    ['儿童成长奶粉4段 3岁以上 高钙DHA 700g罐装', '4段奶粉', 168, 'edge'],
    ['高铁婴儿米粉 原味400g 宝宝辅食 6个月+', '高铁米粉', 39.9, 'traffic'],
    ['有机婴儿米粉 胡萝卜味 160g 无添加盐糖', '有机米粉', 59, 'edge'],
    ['宝宝辅食面条 无添加盐 蝴蝶面 200g*3盒', '宝宝面条', 29.9, 'traffic'],
    ['酸奶溶豆 益生菌 宝宝零食 18g*4袋', '溶豆', 25.9, 'traffic'],
    ['婴儿果泥 苹果香蕉混合 吸吸袋 100g*6', '果泥', 69, 'edge'],
    ['儿童深海鳕鱼肠 宝宝零食 无淀粉 10支装', '鳕鱼肠', 49.9, 'potential'],
    ['婴幼儿益生菌冲剂 宝宝肠道 30袋装', '益生菌', 129, 'potential'],
    ['宝宝磨牙米饼 原味 婴儿零食 50g*3袋', '米饼', 32, 'traffic'],
    ['儿童藻油DHA软胶囊 60粒 可剪开', 'DHA', 158, 'profit'],
  ],
  kids_clothing: [
    ['婴儿连体衣 纯棉A类 春秋季哈衣爬服 新生儿', '连体衣', 79, 'traffic'],
    ['儿童羽绒服 白鸭绒 男女童中长款 加厚保暖', '羽绒服', 399, 'profit'],
    ['男童卫衣套装 春秋款 纯棉运动两件套', '卫衣套装', 129, 'edge'],
    ['女童连衣裙 夏季纯棉公主裙 碎花', '连衣裙', 99, 'edge'],
    ['宝宝学步鞋 软底防滑 机能鞋 春秋款', '学步鞋', 139, 'profit'],
    ['儿童袜子 5双装 精梳棉 中筒 宝宝袜', '儿童袜', 29.9, 'traffic'],
    ['儿童睡衣 纯棉长袖家居服套装 空调服', '睡衣', 69, 'traffic'],
    ['儿童冲锋衣 三合一 防风防水 可拆卸内胆', '冲锋衣', 259, 'profit'],
    ['儿童运动鞋 网面透气 魔术贴 男女童', '运动鞋', 159, 'potential'],
    ['婴儿包被 纯棉抱被 新生儿 四季通用', '包被', 89, 'potential'],
  ],
  daily_goods: [
    ['婴儿纸尿裤 NB/S/M/L/XL 超薄透气 尿不湿 整箱', '纸尿裤', 139, 'profit'],
    ['拉拉裤 L/XL/XXL 学步裤 宝宝尿不湿 箱装', '拉拉裤', 129, 'profit'],
    ['婴儿手口湿巾 80抽*10包 带盖 无香', '湿巾', 39.9, 'traffic'],
    ['婴儿洗衣液 酵素除菌 宝宝专用 2kg*2瓶', '洗衣液', 59.9, 'traffic'],
    ['儿童洗发沐浴二合一 无泪配方 500ml', '洗发沐浴露', 69, 'edge'],
    ['婴儿面霜 保湿润肤 宝宝秋冬 50g', '宝宝面霜', 89, 'edge'],
    ['婴儿棉柔巾 干湿两用 100抽*6包', '棉柔巾', 49.9, 'traffic'],
    ['奶瓶清洗剂 果蔬清洁 宝宝餐具 500ml*2', '奶瓶清洗剂', 45, 'edge'],
    ['婴儿护臀膏 屁屁霜 40g', '护臀膏', 59, 'potential'],
    ['儿童牙膏 含氟防蛀 草莓味 50g*2支', '儿童牙膏', 35, 'potential'],
    ['隔尿垫 婴儿防水 可洗 纯棉 3条装', '隔尿垫', 49, 'traffic'],
    ['婴儿润肤油 抚触油 按摩 200ml', '润肤油', 79, 'profit'],
  ],
  durables: [
    ['婴儿推车 轻便可坐可躺 一键折叠 高景观', '婴儿推车', 899, 'profit'],
    ['儿童安全座椅 0-12岁 ISOFIX接口 360度旋转', '安全座椅', 1299, 'profit'],
    ['实木婴儿床 拼接大床 可调高度 带蚊帐', '婴儿床', 699, 'edge'],
    ['儿童积木 大颗粒 益智拼装玩具 200粒桶装', '积木', 99, 'traffic'],
    ['婴儿音乐健身架 脚踏钢琴 0-1岁', '健身架', 129, 'traffic'],
    ['儿童滑板车 1-6岁 可折叠 闪光轮', '滑板车', 199, 'edge'],
    ['儿童平衡车 无脚踏 2-6岁 滑步车', '平衡车', 299, 'potential'],
    ['儿童电动车 四轮遥控 可坐人 双驱', '电动童车', 1099, 'potential'],
    ['宝宝餐椅 多功能 可折叠 吃饭座椅', '餐椅', 259, 'edge'],
    ['温奶器 恒温调奶器 暖奶消毒二合一', '温奶器', 239, 'profit'],
  ],
};

/** The catalogue is the same for every seed, so product ids are stable across demo shops. */
export function demoCatalog(): readonly DemoProduct[] {
  const products: DemoProduct[] = [];
  for (const { key } of demoCategories) {
    const category = key as DemoCategory;
    for (const [name, shortName, listPrice, role] of listings[category]) {
      const id = products.length + 1;
      products.push({ id, sku: `DEMO-${String(id).padStart(4, '0')}`, name, shortName, category, listPrice, role });
    }
  }
  return products;
}

export const categoryWeights: Readonly<Record<DemoCategory, number>> = {
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
