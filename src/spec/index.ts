// spec: loads the published OpenAPI/Swagger document (file or URL) into one normalised model.
export type {
  JsonSchema,
  SecurityRequirement,
  SecurityScheme,
  SourceLocation,
  SpecMedia,
  SpecModel,
  SpecOperation,
  SpecParameter,
  SpecRequestBody,
  SpecResponse,
  SpecVersion,
} from './model.js'
export {
  DEFAULT_SPEC_MAX_BYTES,
  DEFAULT_SPEC_MAX_DOCUMENTS,
  DEFAULT_SPEC_TIMEOUT_MS,
  isUrlSource,
  type LoadSpecOptions,
  loadSpec,
} from './load-spec.js'
export { escapeToken, pointerTokens, toPointer } from './parse-document.js'
export { type SpecWatcher, type WatchSpecOptions, watchSpec } from './watch-spec.js'
