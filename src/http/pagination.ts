/**
 * Lists stay JSON arrays (seed clients read arrays); paging travels in the query (`page` >= 1, `per_page` 1-100,
 * default 100) and in headers: `X-Total-Count` and a `Link` with first, prev, next and last. A page past the
 * end is an empty array. `sort=<field>` orders ascending, `sort=-<field>` descending.
 */
import type { Request, Response } from 'express';
import type { Paged, PageQuery } from '../services/subscription-paging';

export const DEFAULT_PER_PAGE = 100;

/** Page, size and sort of a list request; the contract already checked the values. */
export function readPageQuery<F extends string>(
  req: Request,
  defaultSort: string,
): PageQuery<F> & { page: number } {
  const page = positiveInt(req.query.page, 1);
  const perPage = positiveInt(req.query.per_page, DEFAULT_PER_PAGE);
  const sort = typeof req.query.sort === 'string' && req.query.sort !== '' ? req.query.sort : defaultSort;
  const descending = sort.startsWith('-');
  return {
    page,
    offset: (page - 1) * perPage,
    limit: perPage,
    sort: { field: (descending ? sort.slice(1) : sort) as F, descending },
  };
}

/** Sends one page as an array with X-Total-Count and Link. */
export function sendPage<T, R>(
  req: Request,
  res: Response,
  query: { page: number; limit: number },
  result: Paged<T>,
  present: (item: T) => R,
): void {
  const last = Math.max(1, Math.ceil(result.total / query.limit));
  const links: [string, number][] = [['first', 1]];
  if (query.page > 1) links.push(['prev', Math.min(query.page - 1, last)]);
  if (query.page < last) links.push(['next', query.page + 1]);
  links.push(['last', last]);
  res.set('X-Total-Count', String(result.total));
  res.set(
    'Link',
    links.map(([rel, page]) => `<${pageUrl(req, page, query.limit)}>; rel="${rel}"`).join(', '),
  );
  res.json(result.items.map(present));
}

function pageUrl(req: Request, page: number, perPage: number): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  url.searchParams.delete('page');
  url.searchParams.delete('per_page');
  url.searchParams.append('page', String(page));
  url.searchParams.append('per_page', String(perPage));
  return `${url.pathname}${url.search}`;
}

function positiveInt(value: unknown, fallback: number): number {
  // The validator may have coerced it to a number already.
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : fallback;
}
