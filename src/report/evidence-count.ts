// What an evidence count is, in words, the same in every format: requests observed, body values
// (a field repeats once per array item, so one response can hold many) with the requests behind
// them, or distinct objects.
import { type Evidence, requestsOf } from '../diff/index.js'

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** '12 requests', '250 values in 5 requests', '120 distinct objects'. */
export function countText(e: Evidence): string {
  if (e.unit === 'objects') return plural(e.count, 'distinct object', 'distinct objects')
  if (e.unit === 'values') {
    const values = plural(e.count, 'value', 'values')
    return e.requests === undefined ? values : `${values} in ${plural(e.requests, 'request', 'requests')}`
  }
  return plural(e.count, 'request', 'requests')
}

/** The labelled counts of an evidence block: requests always first when known. */
export function countRows(e: Evidence): Array<[label: string, value: string]> {
  const requests = requestsOf(e)
  const rows: Array<[string, string]> = []
  if (requests !== undefined) rows.push(['Requests', String(requests)])
  if (e.unit === 'values') rows.push(['Values', String(e.count)])
  if (e.unit === 'objects') rows.push(['Distinct objects', String(e.count)])
  return rows
}
