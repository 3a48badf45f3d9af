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
