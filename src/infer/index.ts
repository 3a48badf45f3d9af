// infer: observed shapes -> path templates, JSON Schemas, an OpenAPI document. Pure.
export {
  DEFAULT_SHAPE_LIMITS,
  isIdLikeKey,
  mergeAll,
  mergeShapes,
  parseShape,
  type Shape,
  type ShapeLimits,
  type ShapeOfOptions,
  shapeOf,
  shapeToJson,
  typesOf,
} from './shape.js'
export { type StringFormat, stringFormat } from './string-format.js'
export {
  classifySegment,
  isPrefixSegment,
  KEEPS_VALUES,
  type PathKey,
  pathKeyOf,
  placeholderClass,
  type SegmentClass,
  segmentsOf,
} from './segment.js'
