// cli: the `specter` command line (main.ts, what bin/specter.js runs) and the wiring of a running
// Specter it shares with the demo. main is not re-exported: the demo imports this file, and the
// commands import the demo.
export { SPECTER_VERSION } from './version.js'
export { type SpecterStack, type StartStackOptions, startSpecterStack } from './stack.js'
