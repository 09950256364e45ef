import type { GeneratedCustomer } from './shop-model.ts';

/**
 * A batch of generated customers laid out column by column, and the one statement that loads it.
 * Each column travels as a single array parameter and `unnest` turns the arrays back into rows, so
 * a batch of any size is one round trip with a fixed, small number of parameters. The four inserts
 * share one statement (data-modifying CTEs): the server works on a batch while the next one is
 * being generated, and foreign keys are checked at the end of the statement.
 */
export class ShopBatch {
  customers = 0;
  orders = 0;
  items = 0;
  reviews = 0;

  private readonly c = columns([
    'id',
    'nickname',
    'name',
    'gender',
    'province',
    'city',
    'birthday',
    'phone',
    'email',
    'tags',
    'registered_at',
    'times_marketed',
    'times_responded',
    'last_marketed_at',
    'credit',
  ]);
  private readonly o = columns([
    'id',
    'customer_id',
    'status',
    'amount',
    'discount',
    'item_count',
    'created_at',
    'paid_at',
    'shipped_at',
    'completed_at',
    'closed_at',
    'refunded_at',
  ]);
  private readonly i = columns(['order_id', 'line_no', 'product_id', 'category', 'quantity', 'unit_price', 'amount']);
  private readonly r = columns(['order_id', 'customer_id', 'rating', 'sentiment', 'created_at']);

  /** Adds one customer; its orders take ids from `nextOrderId` on. Returns the next free order id. */
  add(generated: GeneratedCustomer, nextOrderId: number): number {
    const { customer: cu, orders } = generated;
    push(this.c, [
      cu.id,
      cu.nickname,
      cu.name,
      cu.gender,
      cu.province,
      cu.city,
      cu.birthday,
      cu.phone,
      cu.email,
      arrayLiteral(cu.tags),
      seconds(cu.registeredAt),
      cu.timesMarketed,
      cu.timesResponded,
      seconds(cu.lastMarketedAt),
      cu.credit,
    ]);
    this.customers++;
    let orderId = nextOrderId;
    for (const order of orders) {
      push(this.o, [
        orderId,
        cu.id,
        order.status,
        order.amount,
        order.discount,
        order.items.length,
        seconds(order.createdAt),
        seconds(order.paidAt),
        seconds(order.shippedAt),
        seconds(order.completedAt),
        seconds(order.closedAt),
        seconds(order.refundedAt),
      ]);
      order.items.forEach((item, index) => {
        push(this.i, [orderId, index + 1, item.productId, item.category, item.quantity, item.unitPrice, item.amount]);
      });
      this.items += order.items.length;
      if (order.review) {
        push(this.r, [orderId, cu.id, order.review.rating, order.review.sentiment, seconds(order.review.createdAt)]);
        this.reviews++;
      }
      orderId++;
    }
    this.orders += orders.length;
    return orderId;
  }

  /**
   * The statement and its parameters; the parameter order follows the column lists above. An order's
   * updated_at is its last change (not the load time), and an item's title its product's name, so a
   * seed gives the same rows whenever it runs.
   */
  statement(): { text: string; values: unknown[][] } {
    const text = `
      WITH c AS (
        INSERT INTO customers (id, nickname, name, gender, province, city, birthday, phone, phone_kind, email, tags, registered_at, times_marketed, times_responded, last_marketed_at, credit)
        SELECT id, nickname, name, gender, province, city, birthday, phone, CASE WHEN phone IS NOT NULL THEN 'mobile' END, email, tags::text[], to_timestamp(registered_at), times_marketed, times_responded, to_timestamp(last_marketed_at), credit
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[], $10::text[], $11::float8[], $12::int[], $13::int[], $14::float8[], $15::int[])
          AS u(id, nickname, name, gender, province, city, birthday, phone, email, tags, registered_at, times_marketed, times_responded, last_marketed_at, credit)
        RETURNING 1
      ), o AS (
        INSERT INTO orders (id, customer_id, status, amount, discount, item_count, created_at, paid_at, shipped_at, completed_at, closed_at, refunded_at, updated_at)
        SELECT id, customer_id, status, amount, discount, item_count, to_timestamp(created_at), to_timestamp(paid_at), to_timestamp(shipped_at), to_timestamp(completed_at), to_timestamp(closed_at), to_timestamp(refunded_at),
               to_timestamp(greatest(created_at, paid_at, shipped_at, completed_at, closed_at, refunded_at))
        FROM unnest($16::bigint[], $17::bigint[], $18::text[], $19::numeric[], $20::numeric[], $21::int[], $22::float8[], $23::float8[], $24::float8[], $25::float8[], $26::float8[], $27::float8[])
          AS u(id, customer_id, status, amount, discount, item_count, created_at, paid_at, shipped_at, completed_at, closed_at, refunded_at)
        RETURNING 1
      ), i AS (
        INSERT INTO order_items (order_id, line_no, product_id, category, quantity, unit_price, amount, title)
        SELECT u.*, p.name FROM unnest($28::bigint[], $29::smallint[], $30::bigint[], $31::text[], $32::int[], $33::numeric[], $34::numeric[])
          AS u(order_id, line_no, product_id, category, quantity, unit_price, amount)
        LEFT JOIN products p ON p.id = u.product_id
        RETURNING 1
      )
      INSERT INTO reviews (order_id, customer_id, rating, sentiment, created_at)
      SELECT order_id, customer_id, rating, sentiment, to_timestamp(created_at)
      FROM unnest($35::bigint[], $36::bigint[], $37::smallint[], $38::text[], $39::float8[]) AS u(order_id, customer_id, rating, sentiment, created_at)`;
    return { text, values: [...this.c.values, ...this.o.values, ...this.i.values, ...this.r.values] };
  }
}

interface Columns {
  readonly names: readonly string[];
  readonly values: unknown[][];
}

function columns(names: string[]): Columns {
  return { names, values: names.map(() => []) };
}

function push(cols: Columns, row: readonly unknown[]): void {
  for (let k = 0; k < row.length; k++) cols.values[k].push(row[k]);
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/** Demo tags are plain identifiers, so a Postgres array literal needs no quoting. */
function arrayLiteral(tags: readonly string[]): string {
  return `{${tags.join(',')}}`;
}
