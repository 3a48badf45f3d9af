// The normalised published spec: OpenAPI 3.0/3.1 and Swagger 2.0 all become this one model.
// Schemas are JSON Schema objects with every `$ref` resolved (a recursive schema is a cyclic
// object graph, so walkers must bound their depth or follow an observed shape, which is bounded).

export type SpecVersion = '2.0' | '3.0' | '3.1'

/** A JSON Schema object after `$ref` resolution (draft 4-ish for 2.0/3.0, 2020-12 for 3.1). */
export type JsonSchema = { readonly [key: string]: unknown }

/** Where something is in the published spec: the file or URL, a JSON pointer and a 1-based line (0 when unknown). */
export interface SourceLocation {
  source: string
  pointer: string
  line: number
}

export interface SpecParameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  deprecated: boolean
  schema?: JsonSchema
  location: SourceLocation
}

export interface SpecMedia {
  /** lower-case media type or range as written, e.g. 'application/json', 'application/*' */
  mediaType: string
  schema?: JsonSchema
  location: SourceLocation
}

export interface SpecRequestBody {
  required: boolean
  content: SpecMedia[]
  location: SourceLocation
}

export interface SpecResponse {
  /** as written: '200', '4XX' or 'default' */
  status: string
  content: SpecMedia[]
  location: SourceLocation
}

/** One security requirement object: scheme name -> scopes (all must hold); an empty object means anonymous. */
export type SecurityRequirement = Record<string, string[]>

export interface SecurityScheme {
  type: string
  /** apiKey: 'header' | 'query' | 'cookie' */
  in?: string
  /** apiKey: the header, query or cookie name */
  name?: string
  /** http: 'bearer', 'basic', ... */
  scheme?: string
}

export interface SpecOperation {
  /** upper-case HTTP method */
  method: string
  /** the path template as written under `paths`, without server prefix, e.g. /users/{id} */
  template: string
  /** path prefixes this operation is served under ('' for none), from servers/basePath, longest first */
  prefixes: string[]
  operationId?: string
  summary?: string
  deprecated: boolean
  /** path-item and operation parameters merged (the operation wins on name + in) */
  parameters: SpecParameter[]
  requestBody?: SpecRequestBody
  responses: SpecResponse[]
  /** the effective requirements (operation-level, else the document's); undefined when neither says */
  security?: SecurityRequirement[]
  /** `x-` extensions of the operation */
  extensions: Record<string, unknown>
  location: SourceLocation
  /** the path item holding this operation (SARIF points here) */
  pathLocation: SourceLocation
}

export interface SpecModel {
  /** the file path or URL it was loaded from, as given */
  source: string
  /** absolute path when the spec is a local file (SARIF artifact locations) */
  localFile?: string
  version: SpecVersion
  /** the version string as written, e.g. '3.0.3' or '2.0' */
  versionString: string
  title: string
  apiVersion: string
  /** every server prefix ('' for none), longest first */
  prefixes: string[]
  operations: SpecOperation[]
  securitySchemes: Record<string, SecurityScheme>
  /** the document's top-level requirements (what an undocumented operation would get); undefined when it declares none */
  security?: SecurityRequirement[]
  /**
   * The document as one tree: every `$ref` inlined, a cyclic one cut to `{}` (bounded in size).
   * Input for spec-to-spec comparison; computed on demand.
   */
  bundle: () => Record<string, unknown>
  /** where a resolved object (a schema, a parameter) was written, when the loader built it */
  locate: (node: object) => SourceLocation | undefined
  /** 1-based line of a JSON pointer in the root document (0 when unknown) */
  lineOf: (pointer: string) => number
}
