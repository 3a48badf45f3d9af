// demo: the embedded sample API (data, routes, published spec location) and the traffic driver for `specter demo`.
export { adminListenerLines } from './admin-hint.js'
export { generateSampleData, type SampleData } from './sample-api/data.js'
export { publishedSpecPath } from './published-spec.js'
export { type DemoFiles, type DemoOptions, type DemoRun, type DemoSummary, runDemo } from './run-demo.js'
export { type SampleApi, type SampleApiOptions, startSampleApi } from './sample-api/server.js'
export {
  type ClientName,
  driveTraffic,
  type TrafficOptions,
  type TrafficProgress,
  type TrafficSummary,
} from './traffic.js'
