// Where the sample API's published OpenAPI document lives (examples/shop/openapi.yaml), found
// from src/ (tests) and from dist/src/ (the built CLI).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Absolute path of examples/shop/openapi.yaml. */
export function publishedSpecPath(): string {
  const candidates = ['../../examples/shop/openapi.yaml', '../../../examples/shop/openapi.yaml'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  )
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string)
}
