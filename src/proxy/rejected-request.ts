// Requests the proxy answers itself because they cannot be forwarded as sent: a path with a `..`
// segment or starting with `//` (reply-from refuses both: resolved per RFC 3986 section 5.2 they would
// reach another path or host than the one asked for) or with invalid percent-encoding (the router
// cannot decode it). The client gets a short coded JSON body like the 502/504s, built once; the
// upstream is never contacted and nothing is recorded (the tap skips answers the proxy gave itself).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

const body = (code: string, message: string): string => JSON.stringify({ error: { code, message } })

export const REQUEST_REJECTED_BODY = body(
  'SPECTER_ERR_REQUEST_REJECTED',
  "the request path was not forwarded: it has a '..' segment, starts with '//' or is not valid percent-encoding",
)
const INTERNAL_BODY = body('SPECTER_ERR_INTERNAL', 'unexpected failure in the proxy; see the Specter log')

/**
 * Fastify's error handler and frameworkErrors for the proxy: a 4xx raised before forwarding (by the
 * router or reply-from) becomes that status with the coded body; anything else a 500, logged once.
 */
export function rejectRequest(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode
  const rejected = status !== undefined && status >= 400 && status < 500
  // Never the path or query: they may carry secrets.
  if (!rejected) request.log.error({ code: error.code, err: error.message }, 'proxy failure before forwarding')
  void reply
    .code(rejected ? status : 500)
    .header('content-type', 'application/json; charset=utf-8')
    .send(rejected ? REQUEST_REJECTED_BODY : INTERNAL_BODY)
}
