// Escaping for the report formats. Paths, property names and examples come from traffic, which an
// attacker controls: every observed string goes through one of these before it is written.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML[c] as string)

/**
 * Escapes text for Markdown (GitHub flavoured): HTML is neutralised and Markdown punctuation is
 * backslash-escaped, so a path like `[x](javascript:...)` or `<img onerror>` stays literal text.
 * Newlines become spaces: one value never starts a new block.
 */
export const escapeMarkdown = (s: string): string =>
  s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~>]/g, (c) => `\\${c}`)
    .replace(/[&<"']/g, (c) => HTML[c] as string)

/** A file-name-safe slug (lower-case letters, digits and dashes, at most maxLength). */
export function slug(s: string, maxLength = 60): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return out.slice(0, maxLength).replace(/-+$/, '') || 'x'
}
