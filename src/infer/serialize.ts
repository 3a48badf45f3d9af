// Serialisation of generated documents: stable key order as built, no YAML anchors or aliases.

import { stringify } from 'yaml'

/** Pretty JSON with a trailing newline. */
export function toJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`
}

/** YAML 1.2 without anchors/aliases and without line folding, so diffs stay readable. */
export function toYaml(document: unknown): string {
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0 })
}
