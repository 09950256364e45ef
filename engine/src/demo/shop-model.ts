import { sentimentOfScore } from '@huitou/schemas';
import type { DemoCategory, DemoProduct } from './catalog.ts';
import { categoryWeights, givenNames, nicknameParts, regions, surnames, tagOdds } from './catalog.ts';
import { Prng, deriveSeed } from './prng.ts';

/**
 * How one demo customer behaves, and the rows that behaviour produces. Each customer draws from
 * its own PRNG (seed + customer id), so a shop is the same whatever the batch size.
 *
 * The model: a customer first buys on some day (many of them on 11.11 or 6.18), then comes back
 * after gaps whose length depends on the category they favour (food every few weeks, durables
 * rarely) and on how engaged they are; after each order they may leave for good. Promotions pull
 * nearby purchases onto 11.11 and 6.18. RFM and A/B/C/D groups, and natural repurchase that
 * differs by category and group, emerge from that.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CHINA_OFFSET = 8 * HOUR;

export interface ShopParams {
  readonly seed: number;
  /** History ends at the start of this local (UTC+8) day; it covers the two years before. */
  readonly referenceDate: string;
  readonly catalog: readonly DemoProduct[];
}

export interface CustomerRow {
  id: number;
  nickname: string;
  name: string | null;
  gender: 'male' | 'female' | 'unknown';
  province: string;
  city: string;
  birthday: string | null;
  phone: string;
  email: string | null;
  tags: string[];
  registeredAt: number; // epoch ms
  timesMarketed: number;
  timesResponded: number;
  lastMarketedAt: number | null;
  credit: number;
}

export interface ItemRow {
  productId: number;
  category: DemoCategory;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface OrderRow {
  status: 'created' | 'paid' | 'shipped' | 'completed' | 'closed' | 'refunded';
  amount: number;
  discount: number;
  createdAt: number;
  paidAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  closedAt: number | null;
  refundedAt: number | null;
  items: ItemRow[];
  review: { rating: number; sentiment: 'positive' | 'neutral' | 'negative'; createdAt: number } | null;
}

export interface GeneratedCustomer {
  customer: CustomerRow;
  orders: OrderRow[];
}

type Engagement = 'loyal' | 'regular' | 'occasional' | 'one_time' | 'never';

const engagementWeights: Record<Engagement, number> = {
  loyal: 0.14,
  regular: 0.3,
  occasional: 0.3,
  one_time: 0.21,
  never: 0.05,
};
/** Chance of leaving for good after each order, and how much faster than the category norm they return. */
const engagementTraits: Record<Engagement, { stop: number; pace: number; response: number }> = {
  loyal: { stop: 0.03, pace: 2, response: 0.16 },
  regular: { stop: 0.07, pace: 1.1, response: 0.08 },
  occasional: { stop: 0.2, pace: 0.6, response: 0.03 },
  one_time: { stop: 1, pace: 1, response: 0.01 },
  never: { stop: 1, pace: 1, response: 0 },
};
/** Median days between purchases for a customer who favours the category. */
const repurchaseDays: Record<DemoCategory, number> = {
  food: 21,
  daily_goods: 30,
  kids_clothing: 60,
  durables: 180,
};
const stopFactor: Record<DemoCategory, number> = { food: 0.8, daily_goods: 0.9, kids_clothing: 1.0, durables: 1.5 };

/** New-buyer cohorts: the share of customers whose first order is a promotion day. */
const cohortWeights = { organic: 0.78, new_1111_latest: 0.09, new_1111_previous: 0.07, new_618: 0.06 } as const;

export function localDayStart(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) - CHINA_OFFSET;
}

function localMidnight(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;
}

function localDate(ms: number): { y: number; m: number; d: number } {
  const t = new Date(ms + CHINA_OFFSET);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export interface ShopCalendar {
  readonly start: number;
  readonly end: number;
  /** Local midnights of each 11.11 and 6.18 inside the history, newest 11.11 first. */
  readonly singlesDays: readonly number[];
  readonly midYearDays: readonly number[];
}

export function shopCalendar(referenceDate: string): ShopCalendar {
  const end = localDayStart(referenceDate);
  const start = end - 730 * DAY;
  const { y } = localDate(end);
  const inside = (t: number) => t >= start && t < end;
  const singlesDays = [y, y - 1, y - 2].map((yy) => localDayStart(`${yy}-11-11`)).filter(inside);
  const midYearDays = [y, y - 1, y - 2].map((yy) => localDayStart(`${yy}-06-18`)).filter(inside);
  return { start, end, singlesDays, midYearDays };
}

export class ShopModel {
  readonly calendar: ShopCalendar;
  private readonly byCategory: Record<DemoCategory, DemoProduct[]>;

  constructor(private readonly params: ShopParams) {
    this.calendar = shopCalendar(params.referenceDate);
    this.byCategory = { food: [], kids_clothing: [], daily_goods: [], durables: [] };
    for (const p of params.catalog) this.byCategory[p.category].push(p);
  }

  generate(id: number): GeneratedCustomer {
    const rng = new Prng(deriveSeed(this.params.seed, id));
    const engagement = rng.weighted(engagementWeights);
    const favourite = rng.weighted(categoryWeights);
    const cohort = engagement === 'never' ? 'organic' : rng.weighted(cohortWeights);
    const firstAt = this.firstOrderTime(rng, cohort);
    const orders = engagement === 'never' ? [] : this.orderHistory(rng, engagement, favourite, cohort, firstAt);
    const customer = this.profile(rng, id, engagement, favourite, firstAt, orders.length);
    return { customer, orders };
  }

  private firstOrderTime(rng: Prng, cohort: keyof typeof cohortWeights): number {
    const { start, end, singlesDays, midYearDays } = this.calendar;
    const promoDay =
      cohort === 'new_1111_latest'
        ? singlesDays[0]
        : cohort === 'new_1111_previous'
          ? singlesDays[1]
          : cohort === 'new_618'
            ? rng.pick(midYearDays)
            : undefined;
    if (promoDay !== undefined) return promoDay + this.hourOfDay(rng, true);
    // Organic first orders spread evenly over the history.
    const u = rng.next();
    return start + Math.floor((u * (end - start - DAY)) / DAY) * DAY + this.hourOfDay(rng, false);
  }

  /** Orders peak 0-2h, 9-12h and 20-24h (docs/data.md § The demo shop); promotion days open at midnight. */
  private hourOfDay(rng: Prng, promotion: boolean): number {
    const band = promotion
      ? rng.weighted({ midnight: 0.55, morning: 0.15, evening: 0.2, other: 0.1 })
      : rng.weighted({ midnight: 0.15, morning: 0.3, evening: 0.35, other: 0.2 });
    const hour =
      band === 'midnight'
        ? rng.uniform(0, 2)
        : band === 'morning'
          ? rng.uniform(9, 12)
          : band === 'evening'
            ? rng.uniform(20, 24)
            : rng.uniform(12, 20);
    return Math.floor(hour * HOUR);
  }

  private orderHistory(
    rng: Prng,
    engagement: Engagement,
    favourite: DemoCategory,
    cohort: string,
    firstAt: number,
  ): OrderRow[] {
    const traits = engagementTraits[engagement];
    const orders: OrderRow[] = [];
    const grumpy = rng.chance(0.03);
    let t = firstAt;
    for (let n = 0; t < this.calendar.end && n < 60; n++) {
      const onSinglesDay = this.calendar.singlesDays.some((d) => t >= d && t < d + DAY);
      // The flagship audience: new 11.11 buyers, about half of them at or above 299 yuan.
      const threshold = n === 0 && cohort === 'new_1111_latest' ? (rng.chance(0.55) ? 'above' : 'below') : undefined;
      orders.push(this.order(rng, t, favourite, onSinglesDay, threshold, grumpy));
      if (rng.chance(Math.min(1, traits.stop * stopFactor[favourite]))) break;
      const gapDays = rng.logNormal(repurchaseDays[favourite] / traits.pace, 0.6);
      const next = this.pullToPromotion(rng, t + Math.max(1, gapDays) * DAY);
      t = localMidnight(next.at) + this.hourOfDay(rng, next.promotion);
    }
    return orders;
  }

  /** Purchases that would fall near a big sale are often moved onto it. */
  private pullToPromotion(rng: Prng, t: number): { at: number; promotion: boolean } {
    for (const day of this.calendar.singlesDays)
      if (t >= day - 12 * DAY && t < day + 8 * DAY && rng.chance(0.5)) return { at: day, promotion: true };
    for (const day of this.calendar.midYearDays)
      if (t >= day - 8 * DAY && t < day + 5 * DAY && rng.chance(0.3)) return { at: day, promotion: true };
    return { at: t, promotion: false };
  }

  private order(
    rng: Prng,
    createdAt: number,
    favourite: DemoCategory,
    promotion: boolean,
    threshold: 'above' | 'below' | undefined,
    grumpy: boolean,
  ): OrderRow {
    const lines = 1 + (rng.chance(0.4) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0) + (promotion && rng.chance(0.5) ? 1 : 0);
    let items: ItemRow[] = [];
    for (let i = 0; i < lines; i++)
      items.push(this.item(rng, rng.chance(0.75) ? favourite : rng.weighted(categoryWeights)));
    let gross = sum(items);
    if (threshold === 'above') {
      // At or above 299 after the 30-yuan promotion discount.
      while (gross < 329) {
        items.push(this.item(rng, favourite));
        gross = sum(items);
      }
    } else if (threshold === 'below' && gross >= 299) {
      const cheapest = [...this.byCategory[favourite]].sort((a, b) => a.listPrice - b.listPrice)[0];
      items = [
        {
          productId: cheapest.id,
          category: favourite,
          quantity: 1,
          unitPrice: cheapest.listPrice,
          amount: cheapest.listPrice,
        },
      ];
      gross = cheapest.listPrice;
    }
    // 满299减30 on promotion days; a smaller store-wide coupon otherwise now and then.
    const discount =
      promotion && gross >= 299 && threshold !== 'below' ? 30 : !promotion && gross >= 199 && rng.chance(0.2) ? 10 : 0;
    return { ...this.lifecycle(rng, createdAt, grumpy), amount: round2(gross - discount), discount, items };
  }

  private item(rng: Prng, category: DemoCategory): ItemRow {
    const product = rng.pick(this.byCategory[category]);
    const r = rng.next();
    const quantity = r < 0.75 ? 1 : r < 0.93 ? 2 : 3;
    return {
      productId: product.id,
      category,
      quantity,
      unitPrice: product.listPrice,
      amount: round2(product.listPrice * quantity),
    };
  }

  /** Payment, shipping, completion, closing, refund and review times, cut at the history's end. */
  private lifecycle(rng: Prng, createdAt: number, grumpy: boolean): Omit<OrderRow, 'amount' | 'discount' | 'items'> {
    const end = this.calendar.end;
    const none = { paidAt: null, shippedAt: null, completedAt: null, closedAt: null, refundedAt: null, review: null };
    const payDelay = Math.round(rng.uniform(1, 25) * 60_000);
    if (rng.chance(0.05)) {
      // Never paid: still open if it is recent, otherwise closed by the platform.
      const closeAt = createdAt + Math.round(rng.uniform(0.5, 24) * HOUR);
      return closeAt >= end
        ? { ...none, status: 'created', createdAt }
        : { ...none, status: 'closed', createdAt, closedAt: closeAt };
    }
    const paidAt = createdAt + payDelay;
    if (paidAt >= end) return { ...none, status: 'created', createdAt };
    if (rng.chance(0.025)) {
      const refundedAt = paidAt + Math.round(rng.uniform(1, 10) * DAY);
      if (refundedAt < end) return { ...none, status: 'refunded', createdAt, paidAt, refundedAt };
    }
    const shippedAt = paidAt + Math.round(rng.uniform(4, 72) * HOUR);
    if (shippedAt >= end) return { ...none, status: 'paid', createdAt, paidAt };
    const completedAt = shippedAt + Math.round(rng.uniform(3, 10) * DAY);
    if (completedAt >= end) return { ...none, status: 'shipped', createdAt, paidAt, shippedAt };
    let review: OrderRow['review'] = null;
    const reviewAt = completedAt + Math.round(rng.uniform(0, 3) * DAY);
    if (reviewAt < end && rng.chance(0.3)) {
      const negative = rng.chance(grumpy ? 0.5 : 0.04);
      const rating = negative ? rng.int(1, 2) : rng.chance(0.06) ? 3 : rng.chance(0.8) ? 5 : 4;
      review = {
        rating,
        sentiment: sentimentOfScore(rating),
        createdAt: reviewAt,
      };
    }
    return { ...none, status: 'completed', createdAt, paidAt, shippedAt, completedAt, review };
  }

  private profile(
    rng: Prng,
    id: number,
    engagement: Engagement,
    favourite: DemoCategory,
    firstAt: number,
    orderCount: number,
  ): CustomerRow {
    const parent = favourite === 'kids_clothing' || (favourite === 'durables' && rng.chance(0.2));
    const gender = rng.chance(0.08) ? 'unknown' : rng.chance(parent ? 0.8 : 0.6) ? 'female' : 'male';
    const region = pickRegion(rng);
    const tags = Object.entries(tagOdds)
      .filter(([, p]) => rng.chance(p))
      .map(([tag]) => tag);
    if (parent) tags.push(gender === 'male' ? 'dad' : 'mom');
    if (engagement === 'loyal' && orderCount >= 5) tags.push('vip');
    const birthYear = parent ? rng.int(1982, 1998) : rng.int(1962, 2006);
    const birthday = rng.chance(0.85) ? `${birthYear}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}` : null;
    const registeredAt = firstAt - Math.floor(rng.uniform(0, 30) * DAY);
    const tenureYears = Math.max(0, (this.calendar.end - registeredAt) / (365 * DAY));
    const timesMarketed = Math.round(tenureYears * rng.uniform(3, 7));
    let timesResponded = 0;
    for (let i = 0; i < timesMarketed; i++) if (rng.chance(engagementTraits[engagement].response)) timesResponded++;
    const { prefixes, cores, suffixes } = nicknameParts;
    return {
      id,
      nickname: `${rng.pick(prefixes)}${rng.pick(cores)}${rng.pick(cores)}${rng.pick(suffixes)}${rng.chance(0.4) ? rng.int(1, 999) : ''}`,
      name: rng.chance(0.4)
        ? `${rng.pick(surnames)}${rng.pick(givenNames)}${rng.chance(0.5) ? rng.pick(givenNames) : ''}`
        : null,
      gender,
      province: region.province,
      city: rng.pick(region.cities),
      birthday,
      phone: fakePhone(id),
      email: rng.chance(0.2) ? `buyer${id}@example.com` : null,
      tags,
      registeredAt,
      timesMarketed,
      timesResponded,
      lastMarketedAt: timesMarketed > 0 ? this.calendar.end - Math.floor(rng.uniform(1, 90) * DAY) : null,
      credit: rng.int(40, 100),
    };
  }
}

/**
 * Valid mainland mobiles (the 199 block: parsePhone reads them as mobiles, as an import of the shop's
 * own export would), unique per id below 10^8 (3^18 is invertible mod 10^8).
 */
export function fakePhone(id: number): string {
  const scrambled = Number((BigInt(id) * 387_420_489n) % 100_000_000n);
  return `+86199${String(scrambled).padStart(8, '0')}`;
}

function pickRegion(rng: Prng): (typeof regions)[number] {
  let total = 0;
  for (const r of regions) total += r.weight;
  let x = rng.next() * total;
  for (const r of regions) {
    x -= r.weight;
    if (x < 0) return r;
  }
  return regions[regions.length - 1];
}

function sum(items: readonly ItemRow[]): number {
  let total = 0;
  for (const i of items) total += i.amount;
  return round2(total);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
