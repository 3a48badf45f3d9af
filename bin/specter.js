#!/usr/bin/env node
// The `specter` binary: runs the compiled CLI (built by `npm ci` through the `prepare` script).
// No Node flags here: `specter proxy` sets the old generation's growth itself (memory.heapGrowthPercent),
// and the young generation can only be sized by whoever starts node (NODE_OPTIONS, as the Docker image
// does): a shebang flag would not apply to `node bin/specter.js`. docs/ops.md#memory.
import { main } from '../dist/src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
