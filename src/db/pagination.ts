import type { QueryBuilder, Model } from 'objection';

export interface PageQuery {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Newest first, keyed on the time-ordered id: the cursor is the last id of the previous page. */
export async function paginate<M extends Model & { id: string }>(
  query: QueryBuilder<M, M[]>,
  page: PageQuery,
): Promise<{ rows: M[]; nextCursor: string | null }> {
  if (page.cursor) query.where(`${query.modelClass().tableName}.id`, '<', page.cursor);
  const rows = await query.orderBy(`${query.modelClass().tableName}.id`, 'desc').limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, nextCursor: hasMore ? rows[rows.length - 1].id : null };
}
