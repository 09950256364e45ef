// Cells of the Taobao/Tmall exports: Excel's guards, Beijing times, statuses, addresses.
import { describe, expect, it } from 'vitest';
import {
  beijingTime,
  splitAddress,
  taobaoStatus,
  tbMoney,
  unguarded,
} from '../../../engine/src/imports/taobao-cells.ts';

describe('Taobao cells', () => {
  it('unwraps ="…", a leading apostrophe and tabs', () => {
    expect(unguarded('="3900000000010"')).toBe('3900000000010');
    expect(unguarded('3900000000010\t')).toBe('3900000000010');
    expect(unguarded("'13800138000")).toBe('13800138000');
    expect(unguarded('  小红  ')).toBe('小红');
    expect(unguarded('= 1')).toBe('= 1');
  });

  it('reads times as Beijing time and refuses what no calendar has', () => {
    expect(beijingTime.parse('2026-11-11 00:10:23')).toBe('2026-11-11T00:10:23+08:00');
    expect(beijingTime.parse('2026/11/1 9:05')).toBe('2026-11-01T09:05:00+08:00');
    expect(beijingTime.parse('2028-02-29 23:59:59')).toBe('2028-02-29T23:59:59+08:00');
    expect(new Date(beijingTime.parse('2026-11-11 00:10:23')).toISOString()).toBe('2026-11-10T16:10:23.000Z');
    for (const bad of ['2026-02-29 00:00:00', '2026-13-01 00:00:00', '2026-11-11 24:00:00', '11/11/2026', ''])
      expect(beijingTime.safeParse(bad).success, bad).toBe(false);
  });

  it('maps the statuses, full-width or ASCII commas alike, and refuses others', () => {
    expect(taobaoStatus.parse('买家已付款，等待卖家发货')).toBe('paid');
    expect(taobaoStatus.parse('买家已付款,等待卖家发货')).toBe('paid');
    expect(taobaoStatus.parse('交易关闭')).toBe('closed');
    expect(taobaoStatus.safeParse('交易异常').success).toBe(false);
  });

  it('splits addresses into the short province and city', () => {
    expect(splitAddress('浙江省 杭州市 西湖区 文三路100号(310000)')).toEqual({ province: '浙江', city: '杭州' });
    expect(splitAddress('上海 上海市 浦东新区 世纪大道1号')).toEqual({ province: '上海', city: '上海' });
    expect(splitAddress('广西壮族自治区 南宁市 青秀区')).toEqual({ province: '广西', city: '南宁' });
    expect(splitAddress('广东省深圳市南山区科技园')).toEqual({ province: '广东', city: '深圳' });
    expect(splitAddress('新疆维吾尔自治区乌鲁木齐市天山区')).toEqual({ province: '新疆', city: '乌鲁木齐' });
    expect(splitAddress('某地')).toEqual({ province: null, city: null });
  });

  it('reads amounts with a yuan sign', () => {
    expect(tbMoney.parse('¥299.00')).toBe('299.00');
    expect(tbMoney.safeParse('2,999').success).toBe(false);
  });
});
