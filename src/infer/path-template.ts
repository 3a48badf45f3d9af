// Path templating: observed path keys (`/users/{int}`, `/posts/hello-world`) -> OpenAPI path
// templates with named, typed parameters (`/users/{userId}`, `/posts/{postId}`).
// Order of authority: user pins, then the published spec, then inference. Inference merges the
// placeholder classes found at capture and collapses plain-string siblings only on structural
// evidence (many distinct values with the same methods, sub-paths and response shapes); real
// words, version and API prefixes and pinned literals stay literal, and literals always win
// over a parameter at the same position (`/users/me` next to `/users/{userId}`).

import { createRouter, parseTemplateSegment, type TemplateMatch } from './router.js'
import { isPrefixSegment, placeholderClass, segmentsOf } from './segment.js'
import type { Shape } from './shape.js'
import { singularIdentifier } from './singular.js'
import { jaccard, propertyPaths } from './structure.js'
import { isDictionaryWord, isWordLike } from './words.js'

export interface TemplatingEndpoint {
  method: string
  /** the path key from capture, e.g. /users/{int}/orders */
  pathKey: string
  /** bounded samples of raw values of placeholder segments, by segment index */
  segments?: ReadonlyArray<{ index: number; values: readonly string[] }>
  /** requests seen (a literal hit far more often than its siblings is an endpoint, not a value) */
  count?: number
  /** merged response body shape of successful exchanges: structural evidence */
  responseShape?: Shape
}

export interface PathPins {
  /** templates used as-is, before the published spec (config `paths.templates`) */
  templates?: readonly string[]
  /** segments that are always literal, never parameters (config `paths.literals`) */
  literals?: readonly string[]
}

export interface TemplatePathsOptions {
  /** the published spec's path templates (with any server prefix), matched before inference */
  publishedTemplates?: readonly string[]
  pins?: PathPins
}

export interface TemplateParam {
  name: string
  /** segment index in the template (0 is the first segment after the leading slash) */
  index: number
  type: 'integer' | 'string'
  format?: 'uuid' | 'date'
}

export interface PathTemplate {
  template: string
  source: 'pinned' | 'published' | 'inferred'
  params: TemplateParam[]
  /** the observed path keys mapped to this template, sorted */
  pathKeys: string[]
}

export interface TemplatingResult {
  /** sorted by template */
  templates: PathTemplate[]
  /** the template of each input endpoint, in input order */
  endpointTemplates: string[]
}

/** Literal siblings needed before non-word values are collapsed into one parameter. */
const MIN_SIBLINGS = 5
/** ...when a parameter with the same structure already sits at that position. */
const MIN_SIBLINGS_NEXT_TO_PARAM = 2
/** ...when every one of them answers with the same non-trivial response shape. */
const MIN_TIGHT_SIBLINGS = 3
const MAX_CLUSTER_MERGES = 20_000
const MAX_CLUSTERS = 256
/** A word with at least this many requests, and HOT_FACTOR times a typical sibling's, is an endpoint. */
const HOT_MIN_REQUESTS = 8
const HOT_FACTOR = 4
/** Siblings needed before dictionary words are collapsed (`/tags/python`, `/tags/rust`, ...). */
const MIN_WORD_SIBLINGS = 8
/** Siblings that must reach a sub-path position before a literal found below most of them counts as structure. */
const MIN_COMMON_REACH = 4
/** ...and the share of them it must be found below (values are found below a few of them). */
const COMMON_SHARE = 0.8
/** An enum-like parameter: this many literal values with the same subtree and responses. */
const MIN_ENUM_VALUES = 2
const MAX_ENUM_VALUES = 4
const SAME_SHAPES = 0.8
const SIMILAR_PATTERNS = 0.5
const SIMILAR_SHAPES = 0.6
/** Agreeing responses needed per disagreeing one for two siblings to still be alike. */
const DISAGREE_OUTWEIGHED = 4
const VAR = '\u0000var'

interface TNode {
  /** literal text, or VAR */
  label: string
  children: Map<string, TNode>
  /** endpoints ending here (input indices) */
  endpoints: number[]
}

interface ChildInfo {
  node: TNode
  /** abstract sub-paths below the sibling ('/' for the sibling itself) */
  paths: Set<string>
  /** method and abstract sub-path -> property paths of its successful responses */
  props: Map<string, Set<string>>
}

function newNode(label: string): TNode {
  return { label, children: new Map(), endpoints: [] }
}

function mergeInto(target: TNode, source: TNode): void {
  target.endpoints.push(...source.endpoints)
  for (const [key, child] of source.children) {
    const existing = target.children.get(key)
    if (existing === undefined) target.children.set(key, child)
    else mergeInto(existing, child)
  }
}

interface Suffix {
  method: string
  rest: string[]
  shape: Shape | undefined
}

function suffixesOf(node: TNode, endpoints: readonly TemplatingEndpoint[], index: number): Suffix[] {
  const out: Suffix[] = []
  const visit = (n: TNode): void => {
    for (const i of n.endpoints) {
      const e = endpoints[i] as TemplatingEndpoint
      out.push({ method: e.method, rest: segmentsOf(e.pathKey).slice(index + 1), shape: e.responseShape })
    }
    for (const c of n.children.values()) visit(c)
  }
  visit(node)
  return out
}

/**
 * Sibling fingerprints: the sub-path of every endpoint below each sibling, abstracted so that
 * values do not count as structure: a literal is kept only when it occurs below at least two
 * siblings and few distinct literals share its position (`issues`, `pulls` under every owner
 * stay; the repository names under them become `*`). Plus the property paths of each
 * sibling's own successful responses.
 */
function childInfos(nodes: readonly TNode[], endpoints: readonly TemplatingEndpoint[], index: number): ChildInfo[] {
  const suffixes = nodes.map((n) => suffixesOf(n, endpoints, index))
  const flat = suffixes.flatMap((list, k) =>
    list.map((suffix) => ({ k, suffix, abstract: [] as string[], fine: [] as string[] })),
  )
  const maxLength = flat.reduce((m, f) => Math.max(m, f.suffix.rest.length), 0)
  for (let offset = 0; offset < maxLength; offset++) {
    // prefix so far -> literal -> siblings it occurs below; prefix so far -> siblings that reach it
    const groups = new Map<string, Map<string, Set<number>>>()
    const reach = new Map<string, Set<number>>()
    for (const f of flat) {
      const seg = f.suffix.rest[offset]
      if (seg === undefined) continue
      const prefix = f.abstract.join('/')
      const reaching = reach.get(prefix) ?? new Set<number>()
      reaching.add(f.k)
      reach.set(prefix, reaching)
      if (placeholderClass(seg) !== undefined) continue
      let group = groups.get(prefix)
      if (group === undefined) {
        group = new Map()
        groups.set(prefix, group)
      }
      const owners = group.get(seg) ?? new Set<number>()
      owners.add(f.k)
      group.set(seg, owners)
    }
    for (const f of flat) {
      const seg = f.suffix.rest[offset]
      if (seg === undefined) continue
      const prefix = f.abstract.join('/')
      const group = groups.get(prefix)
      const owners = group?.get(seg)?.size ?? 0
      const keep = group !== undefined && group.size < MIN_SIBLINGS && owners >= 2
      f.abstract.push(keep ? seg : '*')
      // Responses are compared at a finer grain: a literal found below nearly every sibling keeps
      // its name there however many share its position, so the sub-collections of every branch
      // (`apis`, `guides`, `recipes`...) are compared one by one, not as one mixed `*`.
      const reaching = reach.get(prefix)?.size ?? 0
      const common = reaching >= MIN_COMMON_REACH && owners >= COMMON_SHARE * reaching
      f.fine.push(keep || common ? seg : '*')
    }
  }
  const infos: ChildInfo[] = nodes.map((node) => ({ node, paths: new Set<string>(), props: new Map() }))
  for (const f of flat) {
    const info = infos[f.k] as ChildInfo
    const path = `/${f.abstract.join('/')}`
    info.paths.add(path)
    addProps(info, `${f.suffix.method} /${f.fine.join('/')}`, propertyPaths(f.suffix.shape))
  }
  return infos
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

function isSubset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size > b.size) return false
  for (const x of a) if (!b.has(x)) return false
  return true
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let common = 0
  for (const x of a) if (b.has(x)) common++
  return common / Math.min(a.size, b.size)
}

function addProps(info: ChildInfo, path: string, props: Iterable<string>): void {
  let set = info.props.get(path)
  if (set === undefined) {
    set = new Set()
    info.props.set(path, set)
  }
  for (const p of props) set.add(p)
}

function addInto(union: ChildInfo, member: ChildInfo): void {
  for (const p of member.paths) union.paths.add(p)
  for (const [path, props] of member.props) addProps(union, path, props)
}

function unionOf(members: readonly ChildInfo[]): ChildInfo {
  const union: ChildInfo = { node: (members[0] as ChildInfo).node, paths: new Set(), props: new Map() }
  for (const m of members) addInto(union, m)
  return union
}

/**
 * Similarity of two siblings (or clusters): 0 (unrelated), 1 (no evidence either way),
 * 2 (similar responses where both answered). Sub-paths must overlap; where both have
 * responses for the same method and sub-path they must share most property paths.
 */
function similarity(a: ChildInfo, b: ChildInfo): 0 | 1 | 2 {
  if (overlap(a.paths, b.paths) < SIMILAR_PATTERNS) return 0
  let agree = 0
  let disagree = 0
  for (const [path, pa] of a.props) {
    const pb = b.props.get(path)
    // A bare `:array` (an empty list) or a scalar says nothing either way.
    if (pb === undefined || pa.size <= 1 || pb.size <= 1) continue
    // One side holding nothing the other lacks is a sparser observation of the same thing
    // (an empty list, optional fields absent), not a different resource.
    if (isSubset(pa, pb) || isSubset(pb, pa) || jaccard(pa, pb) >= SIMILAR_SHAPES) agree++
    else disagree++
  }
  if (agree + disagree === 0) return 1
  // One or two single observations drawing other `oneOf` branches do not outweigh many that
  // agree: a strong majority of the compared responses decides.
  return disagree === 0 || agree >= DISAGREE_OUTWEIGHED * disagree ? 2 : 0
}

/** True when no response of the sibling can be compared (no bodies, or only scalars and empty lists). */
function bodiless(info: ChildInfo): boolean {
  for (const props of info.props.values()) if (props.size > 1) return false
  return true
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && isSubset(a, b)
}

/**
 * Strict resemblance of two siblings: the same sub-paths, at least one response compared, and
 * every compared response the same resource (nearly the same property paths; one side may miss
 * optional ones, not most of them).
 */
function sameResource(a: ChildInfo, b: ChildInfo): boolean {
  if (!sameSet(a.paths, b.paths)) return false
  let compared = 0
  for (const [path, pa] of a.props) {
    const pb = b.props.get(path)
    if (pb === undefined || pa.size <= 1 || pb.size <= 1) continue
    compared++
    const [small, large] = pa.size <= pb.size ? [pa, pb] : [pb, pa]
    if (jaccard(pa, pb) < SAME_SHAPES && !(isSubset(small, large) && small.size * 2 >= large.size)) return false
  }
  return compared > 0
}

/**
 * Enum-like values among literal siblings: MIN_ENUM_VALUES to MAX_ENUM_VALUES of them with a
 * subtree below (`/guides/{title}`, `/reference/{title}`), the same sub-paths and the same
 * responses. Actions (`export`, `search`) and collections with fields of their own fail that.
 */
function enumValues(literals: readonly ChildInfo[]): ChildInfo[] {
  const deep = literals.filter((l) => [...l.paths].some((p) => p !== '/'))
  for (const first of deep) {
    const group = deep.filter((l) => l === first || sameResource(first, l))
    if (group.length < MIN_ENUM_VALUES || group.length > MAX_ENUM_VALUES) continue
    if (group.every((a) => group.every((b) => a === b || sameResource(a, b)))) return group
  }
  return []
}

interface Cluster {
  members: ChildInfo[]
  union: ChildInfo
}

/**
 * Groups siblings by similarity: each joins the first cluster it resembles (sorted order),
 * then clusters that resemble each other merge, so the result does not hinge on which
 * sibling came first. Bounded by MAX_CLUSTER_MERGES comparisons.
 */
function clusterSiblings(literals: readonly ChildInfo[]): Cluster[] {
  const clusters: Cluster[] = []
  for (const info of literals) {
    const home = clusters.find((c) => similarity(c.union, info) !== 0)
    if (home !== undefined) {
      home.members.push(info)
      addInto(home.union, info)
    } else if (clusters.length < MAX_CLUSTERS) {
      clusters.push({ members: [info], union: unionOf([info]) })
    }
    // Past MAX_CLUSTERS unrelated siblings, the rest stay literal: bounded work per node.
  }
  let budget = MAX_CLUSTER_MERGES
  for (let merged = true; merged && budget > 0; ) {
    merged = false
    for (let i = 0; i < clusters.length && !merged; i++) {
      for (let j = i + 1; j < clusters.length && budget-- > 0; j++) {
        const a = clusters[i] as Cluster
        const b = clusters[j] as Cluster
        if (similarity(a.union, b.union) === 0) continue
        a.members.push(...b.members)
        addInto(a.union, b.union)
        clusters.splice(j, 1)
        merged = true
        break
      }
    }
  }
  return clusters
}

class Templater {
  readonly endpoints: readonly TemplatingEndpoint[]
  readonly literalPins: ReadonlySet<string>

  constructor(endpoints: readonly TemplatingEndpoint[], literalPins: ReadonlySet<string>) {
    this.endpoints = endpoints
    this.literalPins = literalPins
  }

  /** Requests below a node (1 per endpoint when counts are unknown). */
  requests(node: TNode): number {
    let n = 0
    for (const i of node.endpoints) n += (this.endpoints[i] as TemplatingEndpoint).count ?? 1
    for (const c of node.children.values()) n += this.requests(c)
    return n
  }

  /** Endpoints below a node. */
  endpointCount(node: TNode): number {
    let n = node.endpoints.length
    for (const c of node.children.values()) n += this.endpointCount(c)
    return n
  }

  /**
   * Requests per endpoint below a node: a value spreads its traffic over the methods and
   * sub-paths it answers, so totals would make a value with many of them look hot.
   */
  rate(node: TNode): number {
    return this.requests(node) / Math.max(1, this.endpointCount(node))
  }

  /**
   * Collapses sibling literals into parameters where the evidence says so, top-down; `depth` is
   * the node's segment index. `pastPrefix` is true below a parameter or a collection (a literal
   * with values or endpoints of its own): there a version-like segment is a value like any other.
   */
  process(node: TNode, depth: number, inPrefix: boolean, pastPrefix: boolean): void {
    // A collection: values were seen below it (`/version/{alnum}`) or it answers requests itself.
    const values =
      !inPrefix && (pastPrefix || node.label === VAR || node.children.has(VAR) || node.endpoints.length > 0)
    // REST alternates collections and items: below a literal that answers itself (`/categories`)
    // come its items; below an item (`/branches/{branch}`) come its sub-collections.
    const answeringCollection = node.label !== VAR && node.endpoints.length > 0
    const candidates: TNode[] = []
    for (const [key, child] of [...node.children].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
      // The first segment after the API and version prefixes names a resource collection
      // (`/api/v1/categories`, `/api/v1/docs`): collections that answer alike are not values.
      if (key === VAR || inPrefix) continue
      if (this.literalPins.has(key)) continue
      // Version segments stay literal as long as nothing before them is a parameter or a
      // collection (`/docs/v2`, `/svc/v1/users`); past that (`/{dataset}/v1.0/fields`,
      // `/versions/v2.1`) they are candidate values and need the same evidence as any other.
      if (isPrefixSegment(key) && /^v[0-9]/i.test(key) && !values) continue
      candidates.push(child)
    }
    const variable = node.children.get(VAR)
    const infos = childInfos(variable === undefined ? candidates : [...candidates, variable], this.endpoints, depth + 1)
    const literals = infos.slice(0, candidates.length)
    const varInfo = variable === undefined ? undefined : infos[candidates.length]

    const collapse: TNode[] = []
    for (const { members, union } of clusterSiblings(literals)) {
      // Evidence: members whose own responses closely match the cluster's (non-trivial) responses.
      const evidence = members.filter((m) => similarity(union, m) === 2).length
      // With no response body to compare at all, parallel structure is the evidence left: many
      // siblings answering the same methods and sub-paths under a collection that answers itself,
      // or next to a parameter (an API answering `GET /changelogs/{slug}` with an empty 200).
      const structural =
        members.length >= MIN_WORD_SIBLINGS &&
        members.every(bodiless) &&
        (answeringCollection || (varInfo !== undefined && similarity(varInfo, union) !== 0))
      // Hyphenated word slugs (`why-rust`) count as values once every sibling answered alike
      // (those with nothing to compare, such as one seen only with DELETE, aside, as long as at
      // least MIN_TIGHT_SIBLINGS and half of them did); single dictionary words (`settings`,
      // `export`) never do on that evidence alone.
      const unlike = members.filter((m) => similarity(union, m) === 0).length
      const fullEvidence =
        structural ||
        evidence === members.length ||
        (unlike === 0 && evidence >= MIN_TIGHT_SIBLINGS && evidence * 2 >= members.length)
      const isWord = (m: ChildInfo) => isDictionaryWord(m.node.label) || (!fullEvidence && isWordLike(m.node.label))
      const words = members.filter(isWord)
      const others = members.filter((m) => !isWord(m))
      // Only matching responses count here: two stray literals next to a parameter prove little.
      const nextToParam = varInfo !== undefined && similarity(varInfo, union) === 2
      // Words give way only to a large cluster whose responses mostly match: /tags/python, /tags/rust...
      const wordsGo =
        words.length > others.length && members.length >= MIN_WORD_SIBLINGS && evidence * 2 >= members.length
      const othersGo =
        wordsGo ||
        others.length >= (nextToParam ? MIN_SIBLINGS_NEXT_TO_PARAM : MIN_SIBLINGS) ||
        (fullEvidence && others.filter((m) => !isWordLike(m.node.label)).length >= MIN_TIGHT_SIBLINGS)
      // Next to a parameter with the same structure, a code with digits is one more value (`FLASH50`).
      const digitsGo = nextToParam ? others.filter((m) => /[0-9]/.test(m.node.label)) : []
      // When the values collapse, words that are a fair share of them are values too (repository
      // names such as `react`, `blog`), unless they are hot: one or two words (`me`, `self`), or
      // a word requested far more often (per endpoint) than a typical value, stay literal. The
      // typical value is taken over the non-words: hot words would raise their own bar.
      const typical = median((others.length > 0 ? others : members).map((m) => this.rate(m.node)))
      const wordsToo = othersGo && words.length * 8 >= members.length && words.length >= 2
      const cold = words.filter(
        (m) => this.requests(m.node) < HOT_MIN_REQUESTS || this.rate(m.node) < typical * HOT_FACTOR,
      )
      if (!othersGo) for (const m of digitsGo) collapse.push(m.node)
      if (wordsToo && !wordsGo) for (const m of cold) collapse.push(m.node)
      if (othersGo) for (const m of others) collapse.push(m.node)
      if (wordsGo) for (const m of words) collapse.push(m.node)
    }

    // An action next to values (`POST /docs/search` by `GET|PUT|DELETE /docs/{slug}`) answers only
    // methods that few of them do: it stays literal. Only nodes with endpoints of their own count.
    const ownMethods = (n: TNode) => new Set(n.endpoints.map((i) => (this.endpoints[i] as TemplatingEndpoint).method))
    const answering = new Map<string, number>()
    let withEndpoints = 0
    for (const n of variable === undefined ? collapse : [...collapse, variable]) {
      const methods = ownMethods(n)
      if (methods.size > 0) withEndpoints++
      for (const m of methods) answering.set(m, (answering.get(m) ?? 0) + 1)
    }
    // Light traffic leaves some values with one method each: a method a quarter of them answer is theirs.
    const common = (m: string) =>
      (answering.get(m) ?? 0) >= Math.min(3, withEndpoints) && (answering.get(m) ?? 0) * 4 >= withEndpoints
    // Only names read as words are actions (`search`, `createWithArray`): a username seen with one
    // method (`PUT /user/substack`) is a value that light traffic left with fewer methods.
    const actions = [...answering.keys()].some(common)
      ? collapse.filter((c) => {
          if (!isWordLike(c.label)) return false
          const mine = ownMethods(c)
          return mine.size > 0 && [...mine].every((m) => !common(m))
        })
      : []
    if (actions.length > 0) collapse.splice(0, collapse.length, ...collapse.filter((c) => !actions.includes(c)))

    // A parameter with a few allowed values (`/categories/{section}` with `guides|reference`): a
    // handful of literals under a collection that answers itself, with no parameter next to them,
    // whose subtrees hold the same sub-paths and whose responses are the same resource.
    if (collapse.length === 0 && variable === undefined && answeringCollection) {
      collapse.push(...enumValues(literals).map((m) => m.node))
    }

    if (collapse.length > 0) {
      let target = variable
      if (target === undefined) {
        target = newNode(VAR)
        node.children.set(VAR, target)
      }
      for (const c of collapse) {
        node.children.delete(c.label)
        mergeInto(target, c)
      }
    }

    for (const [key, child] of node.children) {
      this.process(child, depth + 1, inPrefix && key !== VAR && isPrefixSegment(key), values)
    }
  }
}

/** Names APIs give versions beside numbered ones (`/{dataset}/stable/fields`). */
const VERSION_ALIASES = new Set(['stable', 'latest', 'current', 'beta', 'alpha', 'preview', 'next', 'edge'])
/** A version value as APIs write them: `v1`, `V2`, `v1.0`, `v2.1.3`, `1.0`, `2.1.3` (bounded, linear). */
const VERSION_VALUE = /^(?:[vV][0-9]{1,4}(?:\.[0-9]{1,4}){0,3}|[0-9]{1,4}(?:\.[0-9]{1,4}){1,3})$/

function nameParams(segments: readonly string[]): Array<string | undefined> {
  const used = new Set<string>()
  const names: Array<string | undefined> = []
  let lastLiteral = ''
  let afterParam = false
  for (const seg of segments) {
    if (seg !== VAR && !seg.startsWith('{date:') && !seg.startsWith('{version:')) {
      names.push(undefined)
      lastLiteral = seg
      afterParam = false
      continue
    }
    // A version right after a parameter has no collection of its own to be named after.
    const version = seg === '{version:}' && (afterParam || lastLiteral === '')
    const base =
      seg === '{date:}'
        ? 'date'
        : version
          ? 'version'
          : `${singularIdentifier(lastLiteral) || ''}Id`.replace(/^Id$/, 'id')
    afterParam = true
    let name = base
    for (let k = 2; used.has(name); k++) name = `${base}${k}`
    used.add(name)
    names.push(name)
  }
  return names
}

/** Types a parameter from what was seen at its position: classes of placeholders and raw values. */
function paramType(seen: readonly string[]): Pick<TemplateParam, 'type' | 'format'> {
  if (seen.length > 0 && seen.every((s) => s === '{int}')) return { type: 'integer' }
  if (seen.length > 0 && seen.every((s) => s === '{uuid}')) return { type: 'string', format: 'uuid' }
  if (seen.length > 0 && seen.every((s) => s === '{date}')) return { type: 'string', format: 'date' }
  return { type: 'string' }
}

function normaliseWithPins(e: TemplatingEndpoint, literalPins: ReadonlySet<string>): string {
  if (literalPins.size === 0 || e.segments === undefined) return e.pathKey
  const segs = segmentsOf(e.pathKey)
  let changed = false
  for (const sample of e.segments) {
    const only = sample.values.length === 1 ? (sample.values[0] as string) : undefined
    if (only !== undefined && literalPins.has(only) && placeholderClass(segs[sample.index] ?? '') !== undefined) {
      // A pinned literal captured as a placeholder (`2024` -> `{int}`): stored data is re-read with the pin.
      segs[sample.index] = only
      changed = true
    }
  }
  return changed ? `/${segs.join('/')}` : e.pathKey
}

/**
 * Derives path templates for observed endpoints. Pure and deterministic: the same endpoints
 * (in any order) and options give the same templates.
 */
export function templatePaths(
  endpoints: readonly TemplatingEndpoint[],
  options: TemplatePathsOptions = {},
): TemplatingResult {
  const literalPins = new Set(options.pins?.literals ?? [])
  const keyed = endpoints.map((e) => {
    const pathKey = normaliseWithPins(e, literalPins)
    return pathKey === e.pathKey ? e : { ...e, pathKey }
  })
  const pinRouter = createRouter(options.pins?.templates ?? [])
  const specRouter = createRouter(options.publishedTemplates ?? [])

  const endpointTemplates: string[] = new Array<string>(keyed.length).fill('')
  const sources = new Map<string, PathTemplate['source']>()
  const root = newNode('')
  // Stable order of insertion does not matter for the trie, but keeps everything below deterministic.
  const order = keyed.map((_, i) => i).sort((a, b) => compareEndpoints(keyed[a], keyed[b]))
  for (const i of order) {
    const e = keyed[i] as TemplatingEndpoint
    // A pinned literal is never matched by a template parameter.
    const usable = (m: TemplateMatch | undefined) =>
      m !== undefined && !Object.values(m.params).some((v) => literalPins.has(v)) ? m : undefined
    const pinned = usable(pinRouter.match(e.pathKey))
    if (pinned !== undefined) {
      endpointTemplates[i] = pinned.template
      sources.set(pinned.template, 'pinned')
      continue
    }
    const published = usable(specRouter.match(e.pathKey))
    if (published !== undefined) {
      endpointTemplates[i] = published.template
      if (!sources.has(published.template)) sources.set(published.template, 'published')
      continue
    }
    let node = root
    for (const seg of segmentsOf(e.pathKey)) {
      const key = placeholderClass(seg) === undefined ? seg : VAR
      let next = node.children.get(key)
      if (next === undefined) {
        next = newNode(key)
        node.children.set(key, next)
      }
      node = next
    }
    node.endpoints.push(i)
  }

  new Templater(keyed, literalPins).process(root, -1, true, false)

  // Name the parameters of every inferred template from the final trie.
  const walk = (node: TNode, labels: string[]): void => {
    if (node.endpoints.length > 0) {
      const template = inferredTemplate(labels, node.endpoints, keyed)
      for (const i of node.endpoints) endpointTemplates[i] = template
      if (!sources.has(template)) sources.set(template, 'inferred')
    }
    for (const [key, child] of node.children) walk(child, [...labels, key])
  }
  walk(root, [])

  const byTemplate = new Map<string, number[]>()
  endpointTemplates.forEach((t, i) => {
    const list = byTemplate.get(t)
    if (list === undefined) byTemplate.set(t, [i])
    else list.push(i)
  })
  const templates: PathTemplate[] = []
  for (const [template, indices] of byTemplate) {
    templates.push({
      template,
      source: sources.get(template) ?? 'inferred',
      params: templateParams(template, indices, keyed),
      pathKeys: [...new Set(indices.map((i) => (endpoints[i] as TemplatingEndpoint).pathKey))].sort(),
    })
  }
  templates.sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0))
  return { templates, endpointTemplates }
}

function compareEndpoints(a: TemplatingEndpoint | undefined, b: TemplatingEndpoint | undefined): number {
  const ka = `${a?.pathKey} ${a?.method}`
  const kb = `${b?.pathKey} ${b?.method}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

function inferredTemplate(
  labels: readonly string[],
  indices: readonly number[],
  keyed: readonly TemplatingEndpoint[],
): string {
  // A variable is a date only when every value under it was a date, a version when every value
  // was a version (`/{dataset}/{version}/fields`: `v1`, `v2.1`).
  const marked = labels.map((label, pos) => {
    if (label !== VAR) return label
    const values = indices.map((i) => segmentsOf((keyed[i] as TemplatingEndpoint).pathKey)[pos] ?? '')
    if (values.every((v) => v === '{date}')) return '{date:}'
    const versions = values.every((v) => VERSION_VALUE.test(v) || VERSION_ALIASES.has(v.toLowerCase()))
    return versions && values.some((v) => VERSION_VALUE.test(v)) ? '{version:}' : VAR
  })
  const names = nameParams(marked)
  return `/${marked.map((label, pos) => (names[pos] === undefined ? label : `{${names[pos]}}`)).join('/')}`
}

function templateParams(
  template: string,
  indices: readonly number[],
  keyed: readonly TemplatingEndpoint[],
): TemplateParam[] {
  const segs = segmentsOf(template).map(parseTemplateSegment)
  const params: TemplateParam[] = []
  segs.forEach((seg, index) => {
    if (seg.kind === 'literal') return
    if (seg.kind === 'mixed') {
      for (const p of seg.parts) if (typeof p !== 'string') params.push({ name: p.name, index, type: 'string' })
      return
    }
    const seen = indices.map((i) => segmentsOf((keyed[i] as TemplatingEndpoint).pathKey)[index] ?? '')
    const typed = paramType(seen)
    const param: TemplateParam = { name: seg.name, index, type: typed.type }
    if (typed.format !== undefined) param.format = typed.format
    params.push(param)
  })
  return params
}
