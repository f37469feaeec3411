/** Paged, sorted reads shared by the subscription, payment and reminder-log lists. */

/** Which slice of a list to read: rows `offset` to `offset + limit`, ordered by a field. */
export interface PageQuery<F extends string = string> {
  offset: number;
  limit: number;
  sort: { field: F; descending: boolean };
}

/** One slice of a list and the size of the whole list. */
export interface Paged<T> {
  items: T[];
  total: number;
}

/** A Sequelize `order` for a sort, with the id as tie-breaker so pages never overlap. */
export function orderOf(column: string, descending: boolean): [string, 'ASC' | 'DESC'][] {
  const direction = descending ? 'DESC' : 'ASC';
  return column === 'id'
    ? [['id', direction]]
    : [
        [column, direction],
        ['id', direction],
      ];
}
