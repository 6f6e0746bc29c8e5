import type { Knex } from 'knex';
import type { QueryBuilder, Model } from 'objection';

export interface PageQuery {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Newest first, keyed on the time-ordered id: the cursor is the last id of the previous page.
 * Works on an objection or a plain knex query of one table.
 */
export async function paginate<Row extends { id: string }>(
  query: QueryBuilder<Model & Row, (Model & Row)[]> | Knex.QueryBuilder,
  page: PageQuery,
  idColumn = 'id',
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const builder = query as Knex.QueryBuilder;
  if (page.cursor) builder.where(idColumn, '<', page.cursor);
  const rows: Row[] = await builder.orderBy(idColumn, 'desc').limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, nextCursor: hasMore ? rows[rows.length - 1].id : null };
}
