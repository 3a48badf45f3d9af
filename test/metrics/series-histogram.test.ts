import { Histogram, Registry } from 'prom-client'
import { expect, test } from 'vitest'
import { SeriesHistogram } from '../../src/metrics/series-histogram.js'

const BUCKETS = [0.005, 0.01, 0.025, 0.1, 1, 2.5]

test.each([
  ['with a route label', 'route'],
  ['without labels', undefined],
])('renders what prom-client renders for the same observations (%s)', async (_name, labelName) => {
  const ours = new Registry()
  const theirs = new Registry()
  const histogram = new SeriesHistogram({
    name: 'x_seconds',
    help: 'help text',
    buckets: BUCKETS,
    ...(labelName !== undefined ? { labelName } : {}),
    registers: [ours],
  })
  const reference = new Histogram({
    name: 'x_seconds',
    help: 'help text',
    buckets: BUCKETS,
    labelNames: labelName !== undefined ? [labelName] : [],
    registers: [theirs],
  })
  // before anything is observed
  expect(await ours.metrics()).toBe(await theirs.metrics())
  const routes = ['/users/{int}', '/a "quoted" \\ route', '/orders']
  for (let i = 0; i < 500; i++) {
    const value = ((i * 7919) % 3001) / 1000
    const route = routes[i % routes.length] as string
    histogram.observe(labelName !== undefined ? route : '', value)
    if (labelName !== undefined) reference.observe({ [labelName]: route }, value)
    else reference.observe(value)
  }
  // exact bounds and +Inf
  for (const v of [0.005, 2.5, 2.6]) {
    histogram.observe(labelName !== undefined ? '/orders' : '', v)
    if (labelName !== undefined) reference.observe({ [labelName]: '/orders' }, v)
    else reference.observe(v)
  }
  expect(await ours.metrics()).toBe(await theirs.metrics())
  expect(await ours.getMetricsAsJSON()).toEqual(
    (await theirs.getMetricsAsJSON()).map((m) => ({
      ...m,
      values: m.values.map((v) => ({
        labels: { ...v.labels },
        value: v.value,
        metricName: (v as unknown as { metricName: string }).metricName,
      })),
    })),
  )
  ours.resetMetrics()
  theirs.resetMetrics()
  expect(await ours.metrics()).toBe(await theirs.metrics())
})
