import type pg from 'pg';
import { insertOrder } from './fixtures.ts';

/**
 * Six customers whose every attribute is chosen by hand, so each segment operator has an answer
 * worked out on paper. "Now" is 2026-11-20 12:00 in Shanghai. Days since last purchase:
 * 1 -> 5, 2 -> 9, 3 -> 684, 4 -> 9, 5 -> 264, 6 never bought.
 */
export const AS_OF = new Date('2026-11-20T12:00:00+08:00');
export const ENTRY = new Date('2026-11-12T00:00:00+08:00');
export const INJECTION_NICKNAME = "Robert'); DROP TABLE customers;--";

const local = (s: string) => new Date(`${s}+08:00`);

interface FixtureCustomer {
  id: number;
  nickname: string;
  name: string | null;
  gender: 'male' | 'female' | 'unknown';
  province: string | null;
  city: string | null;
  birthday: string | null;
  phone: string | null;
  email: string | null;
  tags: string[];
  registeredAt: string;
  timesMarketed: number;
  timesResponded: number;
  credit: number;
}

export const fixtureCustomers: FixtureCustomer[] = [
  {
    id: 1,
    nickname: '小鱼',
    name: '王伟',
    gender: 'female',
    province: '广东',
    city: '深圳',
    birthday: '1990-11-22',
    phone: '+8619900000001',
    email: 'a@example.com',
    tags: ['mom', 'skin_dry'],
    registeredAt: '2025-01-10T10:00:00',
    timesMarketed: 10,
    timesResponded: 0,
    credit: 90,
  },
  {
    id: 2,
    nickname: '阿猫酱',
    name: null,
    gender: 'male',
    province: '浙江',
    city: '杭州',
    birthday: '1984-02-29',
    phone: '+8619900000002',
    email: null,
    tags: ['student'],
    registeredAt: '2026-11-11T00:10:00',
    timesMarketed: 2,
    timesResponded: 1,
    credit: 50,
  },
  {
    id: 3,
    nickname: '100%_real',
    name: '李娜',
    gender: 'unknown',
    province: null,
    city: null,
    birthday: null,
    phone: null,
    email: '',
    tags: [],
    registeredAt: '2024-12-01T08:00:00',
    timesMarketed: 0,
    timesResponded: 0,
    credit: 0,
  },
  {
    id: 4,
    nickname: INJECTION_NICKNAME,
    name: null,
    gender: 'female',
    province: '广东',
    city: '广州',
    birthday: '2000-05-05',
    phone: '+8619900000004',
    email: null,
    tags: ['vip', 'mom'],
    registeredAt: '2025-06-01T23:00:00',
    timesMarketed: 20,
    timesResponded: 5,
    credit: 70,
  },
  {
    id: 5,
    nickname: '小桃',
    name: null,
    gender: 'male',
    province: '北京',
    city: '北京',
    birthday: '1970-11-20',
    phone: '+8619900000005',
    email: null,
    tags: ['bargain_hunter'],
    registeredAt: '2025-03-03T09:00:00',
    timesMarketed: 6,
    timesResponded: 0,
    credit: 60,
  },
  {
    id: 6,
    nickname: '大米',
    name: null,
    gender: 'female',
    province: '上海',
    city: '上海',
    birthday: '1995-12-25',
    phone: '+8619900000006',
    email: null,
    tags: ['skin_oily'],
    registeredAt: '2026-01-01T12:00:00',
    timesMarketed: 3,
    timesResponded: 0,
    credit: 80,
  },
];

/**
 * Loads the six customers, their orders, an opt-out, a bad review and marketing messages; returns
 * the trigger order id.
 */
export async function loadSegmentFixture(pool: pg.Pool): Promise<{ triggerOrderId: number }> {
  for (const c of fixtureCustomers) {
    await pool.query(
      `INSERT INTO customers (id, nickname, name, gender, province, city, birthday, phone, email, tags, registered_at, times_marketed, times_responded, credit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        c.id,
        c.nickname,
        c.name,
        c.gender,
        c.province,
        c.city,
        c.birthday,
        c.phone,
        c.email,
        c.tags,
        local(c.registeredAt),
        c.timesMarketed,
        c.timesResponded,
        c.credit,
      ],
    );
  }
  const o = (
    customerId: number,
    at: string,
    items: { category: 'food' | 'kids_clothing' | 'daily_goods' | 'durables'; amount: number }[],
    status?: 'paid' | 'refunded' | 'closed',
  ) => insertOrder(pool, { customerId, at: local(at), items, status });
  await o(1, '2026-11-11T10:00:00', [{ category: 'food', amount: 350 }]);
  await o(1, '2026-11-15T09:00:00', [{ category: 'daily_goods', amount: 40 }]);
  await o(2, '2026-11-11T00:30:00', [{ category: 'kids_clothing', amount: 199 }], 'paid');
  await o(3, '2025-01-05T20:00:00', [{ category: 'durables', amount: 899 }]);
  await o(3, '2025-03-01T20:00:00', [{ category: 'durables', amount: 120 }], 'refunded');
  await o(4, '2026-05-01T21:00:00', [{ category: 'food', amount: 100 }]);
  await o(4, '2026-08-01T21:00:00', [{ category: 'food', amount: 120 }]);
  await o(4, '2026-10-01T21:00:00', [{ category: 'food', amount: 80 }]);
  const triggerOrderId = await o(4, '2026-11-11T01:00:00', [
    { category: 'food', amount: 300 },
    { category: 'kids_clothing', amount: 200 },
  ]);
  await o(5, '2026-03-01T11:00:00', [{ category: 'daily_goods', amount: 60 }]);
  await o(5, '2026-11-11T11:00:00', [{ category: 'durables', amount: 300 }], 'closed');

  await pool.query("INSERT INTO opt_outs (recipient, channel, source) VALUES ('+8619900000001', 'sms', 'reply T')");
  await pool.query("INSERT INTO reviews (customer_id, rating, sentiment, created_at) VALUES (5, 1, 'negative', $1)", [
    local('2026-03-10T10:00:00'),
  ]);
  await pool.query(
    `INSERT INTO messages (message_key, customer_id, class, status, created_at) VALUES
       ('m-5', 5, 'marketing', 'delivered', $1), ('m-6', 6, 'marketing', 'sent', $1), ('m-3', 3, 'notification', 'delivered', $1)`,
    [local('2026-06-01T10:00:00')],
  );
  return { triggerOrderId };
}
