// infer: observed shapes -> path templates, JSON Schemas, an OpenAPI document. Pure.
export {
  DEFAULT_SHAPE_LIMITS,
  isIdLikeKey,
  mergeAll,
  mergeShapes,
  parseShape,
  scaleShape,
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
  foldDigitSegments,
  isPrefixSegment,
  KEEPS_VALUES,
  type PathKey,
  pathKeyOf,
  placeholderClass,
  type SegmentClass,
  segmentsOf,
} from './segment.js'
export {
  type PathPins,
  type PathTemplate,
  type TemplateParam,
  type TemplatePathsOptions,
  type TemplatingEndpoint,
  type TemplatingResult,
  templatePaths,
} from './path-template.js'
export { createRouter, matchTemplate, type PathRouter, type TemplateMatch } from './router.js'
export {
  DEFAULT_ENUM_EVIDENCE,
  type EnumEvidence,
  type JsonSchema,
  type JsonSchemaOptions,
  type OpenApiVersion,
  toJsonSchema,
} from './json-schema.js'
export {
  answeredOnlyNotFound,
  type BuildOpenApiOptions,
  buildOpenApi,
  isDescribable,
  type OpenApiDocument,
  templatingEndpointOf,
} from './openapi-builder.js'
export { toJson, toYaml } from './serialize.js'
export { isDictionaryWord, isWordLike } from './words.js'
export { singular, singularIdentifier } from './singular.js'
