// demo: the embedded sample API (data, routes, published spec location) and the traffic driver for `specter demo`.
export { generateSampleData, type SampleData } from './sample-api/data.js'
export { type SampleApi, type SampleApiOptions, startSampleApi } from './sample-api/server.js'
export {
  type ClientName,
  driveTraffic,
  type TrafficOptions,
  type TrafficProgress,
  type TrafficSummary,
} from './traffic.js'
