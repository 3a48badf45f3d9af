// `specter import FILE`: feeds a HAR 1.2 file or an NDJSON exchange log through the capture
// pipeline into the store, exactly like live traffic, so infer, diff and report work on it.
import { existsSync, rmSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { createCapture } from '../../capture/index.js'
import { harInvalid, usageError } from '../../errors.js'
import { type ImportFormat, importCaptureOptions, importFile, type SkippedEntry } from '../../import/index.js'
import { classifyValue } from '../../security/index.js'
import { openStore } from '../../store/index.js'
import type { Command } from '../command.js'
import { configFromFlags, creatableStoreOptions } from '../config-from-flags.js'
import { parseFlags, stringFlag } from '../flags.js'
import { createProgress, formatBytes, formatCount } from '../progress.js'

const MAX_PRINTED_SKIPS = 20
/** More threads than this read a file no faster: the store is written by one. */
const MAX_THREADS = 8

const help = `Usage: specter import FILE [options]

Imports recorded HTTP traffic into the store through the same capture pipeline as live
traffic (decoding, redaction, shapes; secrets are never stored), so that \`specter infer\`,
\`specter diff\` and \`specter report\` work on it.

Formats (chosen from the extension, else from the first line; a .gz file is decompressed):
  HAR 1.2      as exported by Chrome and Firefox devtools, mitmproxy (savehar) and Charles,
               including base64 bodies and bodies stored decoded or still compressed
  NDJSON       one JSON object per line: {"method","url","status","startedAt","durationMs",
               "requestHeaders","requestBody","responseHeaders","responseBody",...}
               (see docs/import.md for every field)
Broken entries are reported with their index (HAR) or line number (NDJSON) and skipped; the
rest is imported. Large files are streamed with bounded memory.

Options:
  --db FILE          the store (default: store.path from the config, specter.db)
  --format FORMAT    har or ndjson (default: auto)
  --threads N        threads that read an uncompressed file of 32 MiB or more side by side
                     (default: one per CPU, at most 8; 1 reads it in one thread)
  --config FILE      a config file layered over the defaults
  --json             print the result as JSON on stdout (progress still goes to stderr)
  -q, --quiet        no progress indicator
  -h, --help         this help

Examples:
  specter import session.har
  specter import ~/Downloads/shop.example.com.har --db shop.db
  specter import gateway-2026-11-20.ndjson.gz --format ndjson --json
  specter import session.har --db shop.db && specter report --db shop.db --spec openapi.yaml --format html

Exit codes: 0 imported (skipped entries are listed on stderr), 2 usage error, or not an
importable file or nothing in it importable (SPECTER_ERR_HAR_INVALID); a store the failed
import would have created is not left behind.
`

export const importCommand: Command = {
  name: 'import',
  summary: 'import recorded traffic (HAR 1.2, NDJSON) into the store',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('import', argv, {
      db: { type: 'string' },
      format: { type: 'string' },
      threads: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    })
    const [file, ...extra] = flags.positionals
    if (file === undefined) throw usageError('give the file to import, e.g. `specter import session.har`')
    if (extra.length > 0) throw usageError(`import takes one file at a time; got ${flags.positionals.length}`)
    const format = stringFlag(flags, 'format') ?? 'auto'
    if (format !== 'auto' && format !== 'har' && format !== 'ndjson') {
      throw usageError(`--format must be har or ndjson, not "${format.slice(0, 20)}"`)
    }
    const threadsFlag = stringFlag(flags, 'threads')
    const threads = threadsFlag === undefined ? Math.min(availableParallelism(), MAX_THREADS) : Number(threadsFlag)
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
      throw usageError(`--threads must be a whole number from 1 to 64, not "${String(threadsFlag).slice(0, 20)}"`)
    }
    const config = configFromFlags(flags, io)
    const json = flags.values['json'] === true
    // The configured store limits (maxEndpoints, busyTimeoutMs) apply to imported traffic too.
    const storeOptions = creatableStoreOptions(config, io.cwd)
    const dbPath = storeOptions.path
    // A store this command creates is removed again when nothing could be imported into it, so a
    // failed import leaves no empty database behind to be mistaken for a result.
    const created = !existsSync(dbPath)
    let keep = false
    const store = openStore(storeOptions)
    const captureSettings = {
      maxDecodedBytes: config.capture.maxDecodedBytes,
      flushIntervalMs: config.capture.flushIntervalMs,
      ...importCaptureOptions(config.capture),
    }
    const capture = createCapture({
      store,
      options: {
        ...captureSettings,
        clientKeySalt: store.salt,
        wantExample: (method, pathKey, status) => store.wantsExample(method, pathKey, status),
        classify: classifyValue,
      },
    })
    const progress =
      flags.values['quiet'] === true ? undefined : createProgress({ stream: io.stderr, env: io.env, title: 'import' })
    let printedSkips = 0
    const onSkip = (s: SkippedEntry): void => {
      if (printedSkips++ < MAX_PRINTED_SKIPS) {
        progress?.done()
        io.stderr.write(`specter import: skipped ${s.kind} ${s.at}: ${s.reason}\n`)
      }
    }
    try {
      const result = await importFile({
        file: resolve(io.cwd, file),
        sink: capture,
        format: format as ImportFormat | 'auto',
        maxBodyBytes: config.capture.maxBodyBytes,
        onSkip,
        parallel: {
          workers: threads - 1,
          capture: { ...captureSettings, clientKeySalt: store.salt },
          limits: store.limits,
          apply: (aggs) => store.apply(aggs),
        },
        ...(progress === undefined
          ? {}
          : {
              onProgress: (p) =>
                progress.update(
                  p.totalBytes === 0 ? 1 : p.bytesRead / p.totalBytes,
                  `${formatCount(p.imported)} imported, ${formatCount(p.skipped)} skipped`,
                ),
            }),
      })
      await capture.close()
      progress?.done()
      const dropped = capture.stats().dropped + result.workerDropped
      if (result.skipped > MAX_PRINTED_SKIPS) {
        io.stderr.write(`specter import: ... and ${formatCount(result.skipped - MAX_PRINTED_SKIPS)} more skipped\n`)
      }
      if (dropped > 0) {
        io.stderr.write(`specter import: ${dropped} exchanges could not be written (store unavailable?)\n`)
      }
      if (result.imported === 0) {
        throw harInvalid(
          file,
          result.entries === 0
            ? 'it holds no entries; nothing was imported'
            : `none of its ${formatCount(result.entries)} entries could be imported (the reasons are listed above)`,
        )
      }
      keep = true
      const rate = result.durationMs > 0 ? Math.round((result.imported * 1000) / result.durationMs) : result.imported
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ ...result, db: dbPath, entriesPerSecond: rate, notWritten: dropped }, null, 2)}\n`,
        )
      } else {
        io.stdout.write(
          `Imported ${formatCount(result.imported)} of ${formatCount(result.entries)} ${result.format === 'har' ? 'HAR entries' : 'NDJSON lines'}` +
            ` (${formatBytes(result.bytes)}) into ${dbPath} in ${(result.durationMs / 1000).toFixed(1)} s` +
            ` (${formatCount(rate)}/s)${result.skipped > 0 ? `; ${formatCount(result.skipped)} skipped` : ''}.\n` +
            `Next: specter infer --db ${config.store.path}   or   specter report --db ${config.store.path} --spec openapi.yaml --format html --out report.html\n`,
        )
      }
      return 0
    } finally {
      progress?.done()
      await capture.close()
      store.close()
      if (created && !keep) for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true })
    }
  },
}
