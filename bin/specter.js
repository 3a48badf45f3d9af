#!/bin/sh
':' //; case "$1" in proxy | collect) export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" NODE_OPTIONS="--max-semi-space-size=8 ${NODE_OPTIONS:-}" ;; esac; exec node "$0" "$@"
// The `specter` binary: runs the compiled CLI (built by `npm ci` through the `prepare` script).
// Started as a program (`specter`, `npx specter`, `./bin/specter.js`), the two lines above are a
// shell script: for the long-running commands (proxy, collect), memory settings that only apply when
// a process starts (docs/ops.md#memory); then `exec node` on this same file, where they are a string
// and a comment. 8 MB semi-spaces instead of 16 take 16-60 MB off the resident size under load for
// 0-16% more CPU (docs/ops.md#memory); MALLOC_ARENA_MAX=2 stops glibc giving each V8 and libuv thread its own arena.
// Both are prepended, so a value already in the environment wins. One-shot commands keep Node's
// defaults: `specter import` is 15% faster with them. `node bin/specter.js` skips the shell.
import { main } from '../dist/src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
