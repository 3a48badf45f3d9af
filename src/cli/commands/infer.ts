// `specter infer`: the store's inventory -> an OpenAPI document (YAML or JSON), written to a
// file or stdout. Reads the store without changing what it recorded.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { usageError } from '../../errors.js'
import { buildOpenApi, toJson, toYaml } from '../../infer/index.js'
import { loadSpec } from '../../spec/index.js'
import { openStore } from '../../store/index.js'
import type { Command } from '../command.js'
import { configFromFlags, existingStoreOptions } from '../config-from-flags.js'
import { noArguments, parseFlags, stringFlag } from '../flags.js'

const help = `Usage: specter infer [options]

Rebuilds an OpenAPI document from the traffic recorded in the shape store: path templates
with typed parameters, query parameters and notable headers, request bodies, responses per
status code and media type, detected security schemes, and recurring schemas as components.
The output is deterministic: the same store gives a byte-identical document.

Options:
  --db FILE            the store (default: store.path from the config, specter.db)
  --out FILE           write the document to FILE (default: stdout)
  --format yaml|json   output format (default: from the --out extension, else yaml)
  --openapi 3.1|3.0    OpenAPI version: 3.1.0 (default) or 3.0.3 (uses nullable)
  --spec FILE|URL      the published spec: its path templates are matched first
                       (default: spec.path from the config)
  --title TEXT         info.title of the document (default: "Observed API")
  --config FILE        a config file layered over the defaults (paths.templates and
                       paths.literals pin templates and literal segments)
  -h, --help           this help

Examples:
  specter infer --db specter.db --out openapi.yaml
  specter infer --openapi 3.0 --format json > openapi.json
  specter infer --spec published.yaml --out observed.yaml
`

export const inferCommand: Command = {
  name: 'infer',
  summary: 'rebuild an OpenAPI document from the observed traffic',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('infer', argv, {
      db: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      openapi: { type: 'string' },
      spec: { type: 'string' },
      title: { type: 'string' },
      config: { type: 'string' },
    })
    noArguments('infer', flags)
    const out = stringFlag(flags, 'out')
    const format = stringFlag(flags, 'format') ?? (out !== undefined && /\.json$/i.test(out) ? 'json' : 'yaml')
    if (format !== 'yaml' && format !== 'json')
      throw usageError(`--format must be yaml or json, not "${format.slice(0, 20)}"`)
    const version = stringFlag(flags, 'openapi') ?? '3.1'
    if (version !== '3.1' && version !== '3.0')
      throw usageError(`--openapi must be 3.1 or 3.0, not "${version.slice(0, 20)}"`)

    const config = configFromFlags(flags, io)
    const storeOptions = existingStoreOptions(config, io)

    let publishedTemplates: string[] | undefined
    if (config.spec.path !== '') {
      const model = await loadSpec(config.spec.path, { cwd: io.cwd })
      // Templates as served: each operation's template under each server prefix.
      const all = model.operations.flatMap((op) =>
        (op.prefixes.length > 0 ? op.prefixes : ['']).map((prefix) => `${prefix.replace(/\/$/, '')}${op.template}`),
      )
      publishedTemplates = [...new Set(all)].sort()
    }

    const store = openStore({ ...storeOptions, fileMustExist: true })
    let inventory: ReturnType<typeof store.inventory>
    try {
      inventory = store.inventory()
    } finally {
      store.close()
    }
    const title = stringFlag(flags, 'title')
    const document = buildOpenApi(inventory, {
      openapi: version,
      pins: { templates: config.paths.templates, literals: config.paths.literals },
      ...(publishedTemplates !== undefined ? { publishedTemplates } : {}),
      ...(title !== undefined ? { title } : {}),
    })
    const text = format === 'json' ? toJson(document) : toYaml(document)
    if (out === undefined) io.stdout.write(text)
    else {
      writeFileSync(resolve(io.cwd, out), text)
      const paths = Object.keys(document['paths'] as object).length
      io.stderr.write(
        `specter infer: wrote ${paths} paths (OpenAPI ${version === '3.1' ? '3.1.0' : '3.0.3'}) to ${out}\n`,
      )
    }
    return 0
  },
}
