// Field names of a multipart/form-data body (RFC 7578): read from each part's
// Content-Disposition header, values never. The scan is bounded in parts and header bytes.
import type { Shape } from '../infer/index.js'

const MAX_PART_HEADER_BYTES = 1024
const NAME = /;[ \t]*name="([^"]{0,256})"/i
const NAME_BARE = /;[ \t]*name=([^;\s"]{1,256})/i
const FILENAME = /;[ \t]*filename\*?=/i

export interface MultipartField {
  name: string
  file: boolean
}

/** The fields of a multipart body, in order, at most maxParts. */
export function multipartFields(body: Buffer, boundary: string, maxParts: number): MultipartField[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1')
  const fields: MultipartField[] = []
  let at = body.indexOf(delimiter)
  while (at !== -1 && fields.length < maxParts) {
    const afterDelimiter = at + delimiter.length
    // `--boundary--` closes the body.
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) break
    const headerStart = afterDelimiter
    const headerEnd = body.indexOf('\r\n\r\n', headerStart, 'latin1')
    const limit = headerEnd === -1 ? Math.min(body.length, headerStart + MAX_PART_HEADER_BYTES) : headerEnd
    const headers = body.toString('utf8', headerStart, Math.min(limit, headerStart + MAX_PART_HEADER_BYTES))
    for (const line of headers.split('\r\n')) {
      if (line.slice(0, 20).toLowerCase().startsWith('content-disposition:')) {
        const m = NAME.exec(line) ?? NAME_BARE.exec(line)
        if (m !== null) fields.push({ name: m[1] as string, file: FILENAME.test(line) })
        break
      }
    }
    if (headerEnd === -1) break
    at = body.indexOf(delimiter, headerEnd + 4)
  }
  return fields
}

/** Marks file fields of a shape built from multipart fields with format 'binary' (OpenAPI file upload). */
export function markFileFields(shape: Shape, fields: MultipartField[]): void {
  const props = shape.obj?.props
  if (props === undefined) return
  for (const f of fields) {
    if (!f.file || !Object.hasOwn(props, f.name)) continue
    const p = props[f.name] as Shape
    const str = p.str ?? p.arr?.items?.str
    if (str !== undefined) str.fmt = { binary: str.n }
  }
}
