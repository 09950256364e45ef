// What a report counts from the SMS ledger, one definition for run checkpoints and journey reports:
// sent (accepted by the provider, whatever the receipt said), delivered, billed segments, and cost =
// billed segments x unit price once a receipt came, the send's estimate while none has.

/** Aggregates over the `messages` rows aliased `x`: columns sent, delivered, billed, cost. */
export const SMS_FIGURES_SQL = `count(*) FILTER (WHERE x.status IN ('sent', 'delivered', 'undelivered'))::int AS sent,
                count(*) FILTER (WHERE x.status = 'delivered')::int AS delivered,
                coalesce(sum(CASE WHEN x.status IN ('delivered', 'undelivered') THEN coalesce(x.billed_segments, CASE WHEN x.status = 'delivered' THEN x.segments ELSE 0 END) ELSE 0 END), 0)::int AS billed,
                coalesce(sum(CASE WHEN x.status IN ('delivered', 'undelivered') THEN coalesce(x.billed_segments, CASE WHEN x.status = 'delivered' THEN x.segments ELSE 0 END) * coalesce(x.unit_price, 0)
                                  WHEN x.status = 'sent' THEN coalesce(x.cost, 0) ELSE 0 END), 0) AS cost`;
