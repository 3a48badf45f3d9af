// English singulars and parameter names for path templates: `/orders/{orderId}`,
// `/categories/{categoryId}`, `/people/{personId}`.

const IRREGULAR: Readonly<Record<string, string>> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  feet: 'foot',
  teeth: 'tooth',
  mice: 'mouse',
  geese: 'goose',
  indices: 'index',
  vertices: 'vertex',
  matrices: 'matrix',
  analyses: 'analysis',
  criteria: 'criterion',
  phenomena: 'phenomenon',
  leaves: 'leaf',
  lives: 'life',
  knives: 'knife',
  wives: 'wife',
  halves: 'half',
  shelves: 'shelf',
  wolves: 'wolf',
  quizzes: 'quiz',
  buses: 'bus',
  statuses: 'status',
  aliases: 'alias',
  canvases: 'canvas',
  menus: 'menu',
  emojis: 'emoji',
  kudos: 'kudos',
  chaos: 'chaos',
  viruses: 'virus',
  bases: 'base',
  cases: 'case',
  databases: 'database',
  releases: 'release',
  responses: 'response',
  purchases: 'purchase',
  licenses: 'license',
  courses: 'course',
  expenses: 'expense',
  invoices: 'invoice',
  prices: 'price',
  devices: 'device',
  services: 'service',
  resources: 'resource',
  sources: 'source',
  spaces: 'space',
  places: 'place',
  races: 'race',
  phases: 'phase',
  phrases: 'phrase',
  uses: 'use',
  houses: 'house',
  horses: 'horse',
  movies: 'movie',
  cookies: 'cookie',
  pies: 'pie',
  ties: 'tie',
  lies: 'lie',
  zombies: 'zombie',
  species: 'species',
  series: 'series',
  news: 'news',
  data: 'data',
  media: 'media',
  metadata: 'metadata',
  info: 'info',
  apis: 'api',
  uris: 'uri',
}

// Words ending in -s that are already singular.
const SINGULAR_S = /(ss|us|is|ics|sms|dns|gps)$/

/** The singular of one lower-case English word (best effort, deterministic). */
export function singular(word: string): string {
  const w = word.toLowerCase()
  const irregular = IRREGULAR[w]
  if (irregular !== undefined && Object.hasOwn(IRREGULAR, w)) return irregular
  if (w.length <= 3) return w
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`
  if (/(ches|shes|sses|xes|zzes)$/.test(w)) return w.slice(0, -2)
  if (w.endsWith('oes') && w.length > 4) return w.slice(0, -2)
  if (SINGULAR_S.test(w)) return w
  if (w.endsWith('s')) return w.slice(0, -1)
  return w
}

/**
 * A camelCase identifier from a path segment, singular in its last word:
 * `payment-methods` -> `paymentMethod`, `access_tokens` -> `accessToken`. Falls back to `id`.
 */
export function singularIdentifier(segment: string): string {
  const cut = segment.length > 64 ? segment.slice(0, 64) : segment
  const words = cut
    .replace(/\.[A-Za-z0-9]{1,8}$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase())
  if (words.length === 0) return ''
  const last = words.length - 1
  words[last] = singular(words[last] as string)
  let out = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('')
  if (/^[0-9]/.test(out)) out = `p${out}`
  return out
}

/** PascalCase of an identifier: `paymentMethod` -> `PaymentMethod`. */
export function pascalCase(identifier: string): string {
  const words = identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
}
