// The JSON report: the report document as is (see report-schema.json).
import type { Report } from './report-model.js'

/** Renders the report as pretty-printed JSON with a trailing newline. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`
