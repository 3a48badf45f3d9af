// The configuration a command runs with: config/default.yaml, then --config FILE, then SPECTER_*
// variables, then the command's flags (--db, --spec and its own), validated once by src/config.ts.
// A bad result is one SPECTER_ERR_CONFIG_INVALID listing every problem (exit code 2).
import { accessSync, existsSync, constants as fsConstants, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConfigInvalidError, type ConfigOverrides, configSource, loadConfig, type SpecterConfig } from '../config.js'
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

const errnoOf = (err: unknown): string => String((err as NodeJS.ErrnoException).code ?? (err as Error).message)

/**
 * Why a store cannot be created or written at `file` (an absolute path), or undefined. Its directory
 * must already exist and be writable (SQLite writes the -wal and -shm files beside the database).
 * Specter never creates it: a mistyped --db would start a new store somewhere unexpected, e.g. outside
 * a container's mounted volume, where what it records would be lost with the container.
 */
export function storePathProblem(file: string): string | undefined {
  const dir = dirname(file)
  try {
    if (statSync(file).isDirectory())
      return `a database file, not a directory: give a file in it, e.g. ${file}/specter.db`
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT' && errnoOf(err) !== 'ENOTDIR') return `a readable database file (${errnoOf(err)})`
  }
  try {
    if (!statSync(dir).isDirectory()) return `a file in a directory, but ${dir} is not a directory`
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') {
      return `a file in an existing directory, but ${dir} does not exist: create it first (mkdir -p ${dir}) or give another path`
    }
    return `a file in a directory Specter can reach (${dir}: ${errnoOf(err)})`
  }
  try {
    accessSync(dir, fsConstants.W_OK | fsConstants.X_OK)
  } catch (err) {
    return `a file in a writable directory, but ${dir} is not writable by this user (${errnoOf(err)}): fix its permissions or give another path`
  }
  return undefined
}

/**
 * The configured store's options, for a command that creates the store when missing (proxy, collect):
 * a path whose directory is missing or not writable is a SPECTER_ERR_CONFIG_INVALID on store.path
 * naming the flag, variable or file that set it (exit 2), before anything is opened.
 */
export function creatableStoreOptions(config: SpecterConfig, cwd: string): StoreOptions {
  const options = storeOptionsFromConfig(config.store, cwd)
  const problem = storePathProblem(options.path)
  if (problem !== undefined) {
    throw new ConfigInvalidError([
      {
        path: 'store.path',
        value: JSON.stringify(options.path),
        expected: problem,
        source: configSource(config, 'store.path'),
      },
    ])
  }
  return options
}
