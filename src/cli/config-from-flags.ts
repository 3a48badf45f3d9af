// The configuration a command runs with: config/default.yaml, then --config FILE, then SPECTER_*
// variables, then the command's flags (--db, --spec and its own), validated once by src/config.ts.
// A bad result is one SPECTER_ERR_CONFIG_INVALID listing every problem (exit code 2).
import { existsSync } from 'node:fs'
import { type ConfigOverrides, loadConfig, type SpecterConfig } from '../config.js'
import { usageError } from '../errors.js'
import { type StoreOptions, storeOptionsFromConfig } from '../store/index.js'
import type { CliIo } from './command.js'
import { type ParsedFlags, stringFlag } from './flags.js'

/**
 * Loads the config with `--config FILE` layered in and the flags applied last: `--db` sets
 * store.path and `--spec` spec.path (when the command has them), then `overrides`, the command's
 * other flags; `flagNames` names the flag behind each of them (e.g. 'proxy.port' -> '--port') for errors.
 */
export function configFromFlags(
  flags: ParsedFlags,
  io: CliIo,
  overrides: ConfigOverrides = {},
  flagNames: Readonly<Record<string, string>> = {},
): SpecterConfig {
  const configFile = stringFlag(flags, 'config')
  const db = stringFlag(flags, 'db')
  const spec = stringFlag(flags, 'spec')
  return loadConfig({
    env: io.env,
    cwd: io.cwd,
    ...(configFile !== undefined ? { configFile } : {}),
    flagNames: { ...flagNames, 'store.path': '--db', 'spec.path': '--spec' },
    overrides: {
      ...overrides,
      ...(db !== undefined ? { store: { ...overrides.store, path: db } } : {}),
      ...(spec !== undefined ? { spec: { ...overrides.spec, path: spec } } : {}),
    },
  })
}

/** The configured store's options, for a command that reads a store: a missing file is a usage error. */
export function existingStoreOptions(config: SpecterConfig, io: CliIo): StoreOptions {
  const options = storeOptionsFromConfig(config.store, io.cwd)
  if (!existsSync(options.path)) throw usageError(`no store at ${options.path}; give one with --db FILE`)
  return options
}
