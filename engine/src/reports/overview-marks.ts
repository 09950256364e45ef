// The overview's dirty marks from the writers that know their buyers (migration 097): a live event
// group and an import range mark their buyers in a statement they run anyway, instead of the
// statement triggers running on every write of the hot path. Every other write is still marked by
// the triggers.

/** Transaction settings of a writer that marks its own buyers: the triggers stand aside. */
export const MARKS_BY_WRITER = { 'huitou.overview_marks': 'by_writer' } as const;

/**
 * SQL marking dirty the customer ids a query returns (its one column), in id order, so two writers
 * never wait on each other's marks in a cycle.
 */
export const markDirtySql = (customerIds: string): string =>
  `INSERT INTO overview_dirty SELECT DISTINCT id FROM (${customerIds}) AS marked(id) ORDER BY 1 ON CONFLICT DO NOTHING`;
