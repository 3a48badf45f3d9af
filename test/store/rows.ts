// Row dumps to compare stores: every row of the store's own tables by natural key.
import type { Store } from '../../src/store/index.js'

/** Every row of the shape tables by natural key (surrogate ids differ between histories). */
export function dumpRows(store: Store) {
  const all = (sql: string) => store.database.prepare(sql).all()
  return {
    endpoint: all(
      'SELECT method, path_key, count, first_seen_ms, last_seen_ms, folded, hosts FROM endpoint ORDER BY path_key, method',
    ),
    exchange: all(
      `SELECT e.method, e.path_key, x.* FROM exchange x JOIN endpoint e ON e.id = x.endpoint_id
       ORDER BY e.path_key, e.method, x.status, x.outcome, x.request_content_type, x.response_content_type`,
    ).map((r) => ({ ...(r as object), id: 0, endpoint_id: 0 })),
    segment: all(
      `SELECT e.method, e.path_key, s.idx, s.sample FROM segment_sample s JOIN endpoint e ON e.id = s.endpoint_id
       ORDER BY e.path_key, e.method, s.idx`,
    ),
    example: all(
      `SELECT e.method, e.path_key, x.status, x.time_ms, x.request, x.response FROM example x
       JOIN endpoint e ON e.id = x.endpoint_id ORDER BY e.path_key, e.method, x.status, x.time_ms, x.request, x.response`,
    ),
    literal: all('SELECT parent, segment FROM path_literal ORDER BY parent, segment'),
  }
}
