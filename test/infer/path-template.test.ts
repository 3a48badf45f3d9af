import { describe, expect, test } from 'vitest'
import { templatePaths } from '../../src/infer/index.js'
import { endpointsFrom, type Request, templatesOf } from './build-endpoints.js'

const user = (id: number) => ({ id, name: `n${id}`, email: `u${id}@example.com` })
const post = (slug: string) => ({ slug, title: 'T', body: 'B', publishedAt: '2024-01-01T00:00:00Z' })
const SLUGS = [
  'hello-world',
  'my-first-post',
  'summer-sale',
  'why-we-moved',
  'release-notes',
  'a-day-at-the-beach',
  'building-things',
  'quiet-morning',
  'on-writing',
  'small-steps',
]
const USERNAMES = ['octocat', 'torvalds', 'gaearon', 'sindresorhus', 'tj', 'yyx990803', 'mojombo', 'defunkt']

interface Case {
  name: string
  requests: Request[]
  expected: Record<string, string>
  /** endpoints carry request counts, as the store's do */
  counted?: boolean
}

const cases: Case[] = [
  {
    name: '/users/me stays next to /users/{userId}',
    requests: [
      { path: '/users/1', body: user(1) },
      { path: '/users/22', body: user(22) },
      { path: '/users/me', body: user(3) },
    ],
    expected: { '/users/1': '/users/{userId}', '/users/22': '/users/{userId}', '/users/me': '/users/me' },
  },
  {
    name: 'words under a collection stay literal',
    requests: [
      { path: '/users/1', body: user(1) },
      { path: '/users/settings', body: { theme: 'dark' } },
      { path: '/orders/7', body: { id: 7 } },
      { path: '/orders/export', body: { url: 'x' } },
      { path: '/files/export.csv' },
      { path: '/files/41' },
    ],
    expected: {
      '/users/settings': '/users/settings',
      '/orders/export': '/orders/export',
      '/orders/7': '/orders/{orderId}',
      '/files/export.csv': '/files/export.csv',
      '/files/41': '/files/{fileId}',
    },
  },
  {
    name: 'version and API prefixes never become variables',
    requests: [
      { path: '/v2/users/5' },
      { path: '/v1/users/6' },
      { path: '/api/2024-01-01/orders/5' },
      { path: '/api/v3.1/items/9' },
    ],
    expected: {
      '/v2/users/5': '/v2/users/{userId}',
      '/v1/users/6': '/v1/users/{userId}',
      '/api/2024-01-01/orders/5': '/api/2024-01-01/orders/{orderId}',
      '/api/v3.1/items/9': '/api/v3.1/items/{itemId}',
    },
  },
  {
    name: 'slugs with many siblings and the same shape collapse; a different word stays',
    requests: [
      ...SLUGS.map((s) => ({ path: `/posts/${s}`, body: post(s) })),
      { path: '/posts/drafts', body: [post('x')] },
      { path: '/posts/search', body: { hits: [], total: 0 } },
    ],
    expected: {
      '/posts/hello-world': '/posts/{postId}',
      '/posts/small-steps': '/posts/{postId}',
      '/posts/drafts': '/posts/drafts',
      '/posts/search': '/posts/search',
    },
  },
  {
    name: 'three slugs are not enough evidence',
    requests: SLUGS.slice(0, 3).map((s) => ({ path: `/posts/${s}`, body: post(s) })),
    expected: { '/posts/hello-world': '/posts/hello-world', '/posts/summer-sale': '/posts/summer-sale' },
  },
  {
    name: 'dates inside a path are date parameters',
    requests: [{ path: '/reports/daily/2024-01-05' }, { path: '/reports/daily/2024-02-01' }],
    expected: { '/reports/daily/2024-01-05': '/reports/daily/{date}' },
  },
  {
    name: 'nested resources get one name each',
    requests: [{ path: '/orgs/12/repos/34' }, { path: '/orgs/13/repos/35/issues/7' }, { path: '/people/3/children/4' }],
    expected: {
      '/orgs/12/repos/34': '/orgs/{orgId}/repos/{repoId}',
      '/orgs/13/repos/35/issues/7': '/orgs/{orgId}/repos/{repoId}/issues/{issueId}',
      '/people/3/children/4': '/people/{personId}/children/{childId}',
    },
  },
  {
    name: 'singular names: categories, addresses, statuses, payment-methods',
    requests: [
      { path: '/categories/5' },
      { path: '/addresses/6' },
      { path: '/statuses/7' },
      { path: '/payment-methods/8' },
    ],
    expected: {
      '/categories/5': '/categories/{categoryId}',
      '/addresses/6': '/addresses/{addressId}',
      '/statuses/7': '/statuses/{statusId}',
      '/payment-methods/8': '/payment-methods/{paymentMethodId}',
    },
  },
  {
    name: 'placeholders of different classes at one position are one parameter',
    requests: [{ path: '/items/12' }, { path: '/items/5f1d7a3b9c1e4a0012345678' }, { path: '/items/a1b2c3d4e5' }],
    expected: { '/items/12': '/items/{itemId}', '/items/a1b2c3d4e5': '/items/{itemId}' },
  },
  {
    name: 'resource collections with different shapes stay literal',
    requests: ['users', 'orders', 'products', 'invoices', 'customers', 'payments', 'refunds', 'coupons', 'carts'].map(
      (r, i) => ({ path: `/api/${r}`, body: { data: [{ [`${r}Field`]: i, [`${r}Other`]: 'x' }], next: null } }),
    ),
    expected: { '/api/users': '/api/users', '/api/orders': '/api/orders', '/api/carts': '/api/carts' },
  },
  {
    name: 'CRUD resources sharing an envelope and common fields stay literal',
    requests: [
      'users',
      'orders',
      'products',
      'invoices',
      'customers',
      'payments',
      'refunds',
      'coupons',
      'carts',
      'notes',
    ].map((r) => ({
      path: `/api/${r}`,
      body: { data: [{ id: 1, name: 'x', createdAt: '2024-01-01T00:00:00Z', [`${r}Only`]: 1 }], next: null },
    })),
    expected: { '/api/users': '/api/users', '/api/orders': '/api/orders', '/api/notes': '/api/notes' },
  },
  {
    name: 'many dictionary-word siblings with identical shapes collapse (tags)',
    requests: ['python', 'rust', 'go', 'java', 'ruby', 'swift', 'kotlin', 'scala', 'perl'].map((t) => ({
      path: `/tags/${t}`,
      body: { name: t, count: 3, related: ['a'] },
    })),
    expected: { '/tags/python': '/tags/{tagId}', '/tags/perl': '/tags/{tagId}' },
  },
  {
    name: 'usernames and repository names (github-like) collapse level by level',
    requests: USERNAMES.flatMap((u, i) => [
      { path: `/users/${u}`, body: { login: u, id: i, type: 'User' } },
      { path: `/repos/${u}/${SLUGS[i]}`, body: { name: SLUGS[i], full_name: 'x', private: false } },
      { path: `/repos/${u}/${SLUGS[i]}/issues/${i + 1}`, body: { number: i + 1, title: 't', state: 'open' } },
    ]),
    expected: {
      '/users/octocat': '/users/{userId}',
      '/repos/octocat/hello-world': '/repos/{repoId}/{repoId2}',
      '/repos/torvalds/my-first-post/issues/2': '/repos/{repoId}/{repoId2}/issues/{issueId}',
    },
  },
  {
    name: 'version segments stay literal anywhere, even with many alike siblings',
    requests: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'].map((v) => ({
      path: `/docs/${v}`,
      body: { title: 't', toc: ['a'] },
    })),
    expected: { '/docs/v1': '/docs/v1', '/docs/v6': '/docs/v6' },
  },
  {
    name: 'two stray literals next to a parameter without matching responses stay literal',
    requests: [
      { path: '/devices/12' },
      { path: '/devices/13' },
      { path: '/devices/wlan-x' },
      { path: '/devices/eth-y' },
    ],
    expected: {
      '/devices/12': '/devices/{deviceId}',
      '/devices/wlan-x': '/devices/wlan-x',
      '/devices/eth-y': '/devices/eth-y',
    },
  },
  {
    name: 'year-month values (not a segment class) collapse on evidence',
    requests: ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'].map((m) => ({
      path: `/reports/monthly/${m}`,
      body: { month: m, revenue: 1.5, orders: 3 },
    })),
    expected: { '/reports/monthly/2024-01': '/reports/monthly/{monthlyId}' },
  },
  // Regressions found by the accuracy harness (bench/accuracy).
  {
    name: 'regression: dictionary-word repository names among many values are values too',
    requests: [
      'react',
      'blog',
      'linux',
      'left-pad',
      'dotfiles',
      'vimrc',
      'gitignore',
      'homebrew-core',
      'tiny-http',
    ].map((r, i) => ({
      path: `/repos/${USERNAMES[i % USERNAMES.length]}/${r}`,
      body: { name: r, full_name: 'x', fork: false },
    })),
    expected: {
      '/repos/octocat/react': '/repos/{repoId}/{repoId2}',
      '/repos/torvalds/blog': '/repos/{repoId}/{repoId2}',
      '/repos/gaearon/linux': '/repos/{repoId}/{repoId2}',
    },
  },
  {
    name: 'regression: an empty list in one sibling does not split the values',
    requests: SLUGS.flatMap((s, i) => [
      { path: `/articles/${s}`, body: post(s) },
      {
        path: `/articles/${s}/comments`,
        body: { data: i === 3 ? [] : [{ id: i, text: 't', at: '2024-01-01T00:00:00Z' }], meta: { page: 1, total: 1 } },
      },
    ]),
    expected: {
      '/articles/why-we-moved': '/articles/{articleId}',
      '/articles/why-we-moved/comments': '/articles/{articleId}/comments',
      '/articles/hello-world/comments': '/articles/{articleId}/comments',
    },
  },
  {
    name: 'regression: a GET list and a POST item under different owners are not a difference',
    requests: USERNAMES.map((u, i) =>
      i % 2 === 0
        ? { path: `/orgs/${u}/issues`, body: [{ id: i, title: 't' }] }
        : { method: 'POST', path: `/orgs/${u}/issues`, body: { id: i, title: 't' } },
    ),
    expected: { '/orgs/octocat/issues': '/orgs/{orgId}/issues', '/orgs/torvalds/issues': '/orgs/{orgId}/issues' },
  },
  {
    name: 'regression: three non-word owners with identical responses are values',
    requests: ['acme-corp', 'initech', 'globex'].map((o) => ({
      path: `/orgs/${o}/repos`,
      body: [{ id: 1, name: 'r' }],
    })),
    expected: { '/orgs/initech/repos': '/orgs/{orgId}/repos' },
  },
  {
    name: 'regression: a code with digits next to a parameter of the same structure is a value',
    requests: [
      { path: '/coupons/SUMMER24', body: { code: 'x', percentOff: 10.5 } },
      { path: '/coupons/WELCOME10', body: { code: 'x', percentOff: 10.5 } },
      { path: '/coupons/FLASH50', body: { code: 'x', percentOff: 10.5 } },
    ],
    expected: { '/coupons/FLASH50': '/coupons/{couponId}', '/coupons/SUMMER24': '/coupons/{couponId}' },
  },
  {
    name: 'regression: hyphenated word slugs answering alike are values (7 siblings)',
    requests: SLUGS.slice(0, 7).map((s) => ({ path: `/posts/${s}`, body: post(s) })),
    expected: { '/posts/hello-world': '/posts/{postId}', '/posts/building-things': '/posts/{postId}' },
  },
  {
    name: 'different methods at one position do not make evidence for each other',
    requests: [
      { method: 'POST', path: '/jobs/rebuild' },
      { method: 'POST', path: '/jobs/reindex' },
      { method: 'POST', path: '/jobs/flush' },
      { method: 'GET', path: '/jobs/status' },
      { method: 'DELETE', path: '/jobs/cache' },
    ],
    expected: { '/jobs/rebuild': '/jobs/rebuild', '/jobs/status': '/jobs/status' },
  },
  {
    name: 'duplicate parameter names are numbered',
    requests: [{ path: '/pairs/1/2' }],
    expected: { '/pairs/1/2': '/pairs/{pairId}/{pairId2}' },
  },
  {
    // Found on @readme/oas-examples readme-legacy: ten CRUD collections under /api/v1 became /api/v1/{v1Id}.
    name: 'collections right after the API and version prefixes stay literal, however alike they answer',
    requests: ['custompages', 'changelogs', 'owlbot', 'apiregistry', 'outbound-ips', 'docsearch'].flatMap((c) => [
      { path: `/api/v1/${c}`, body: [post('hello-world')] },
      ...SLUGS.slice(0, 3).map((slug) => ({ path: `/api/v1/${c}/${slug}`, body: post(slug) })),
    ]),
    expected: {
      '/api/v1/custompages': '/api/v1/custompages',
      '/api/v1/owlbot': '/api/v1/owlbot',
      '/api/v1/outbound-ips': '/api/v1/outbound-ips',
    },
  },
  {
    // Found on @readme/oas-examples petstore: POST /user/createWithArray became POST /user/{userId}.
    name: 'an action answering a method no value does stays literal (POST /user/createWithArray)',
    requests: [
      ...USERNAMES.map((u, i) => ({ path: `/user/${u}`, body: user(i) })),
      ...USERNAMES.slice(0, 4).map((u) => ({ method: 'DELETE', path: `/user/${u}` })),
      { method: 'POST', path: '/user/createWithArray', body: user(1) },
      { method: 'POST', path: '/user/createWithList', body: user(2) },
    ],
    expected: {
      '/user/octocat': '/user/{userId}',
      '/user/createWithArray': '/user/createWithArray',
      '/user/createWithList': '/user/createWithList',
    },
  },
  {
    // Found on @readme/oas-examples uspto: /{dataset}/{version}/fields exploded into one path per version.
    name: 'version values after a parameter are values: /{dataset}/{version}/fields',
    requests: ['oa_citations', 'cancer_moonshot', 'oa_actions', 'ptab', 'enriched_cited'].flatMap((d, i) =>
      ['v1.0', 'v2.1', 'stable', '1.2', '4.0.0'].slice(i % 2, (i % 2) + 4).flatMap((v) => [
        { path: `/ds-api/${d}/${v}/fields`, body: 'a,b,c' },
        { method: 'POST', path: `/ds-api/${d}/${v}/records`, body: [{ 'maple-20.py': {}, [`${d}-${v}.py`]: {} }] },
      ]),
    ),
    expected: {
      '/ds-api/oa_citations/v1.0/fields': '/ds-api/{dsApiId}/{version}/fields',
      '/ds-api/ptab/stable/fields': '/ds-api/{dsApiId}/{version}/fields',
      '/ds-api/enriched_cited/1.2/records': '/ds-api/{dsApiId}/{version}/records',
    },
  },
  {
    name: 'map-like objects (keys that are data) do not tell values apart',
    requests: ['initech', 'globex', 'hooli', 'umbrella-inc', 'soylent'].map((o, i) => ({
      path: `/orgs/${o}/files`,
      body: { files: { [`${o}-${i}.json`]: { size: i } }, total: 1 },
    })),
    expected: { '/orgs/initech/files': '/orgs/{orgId}/files', '/orgs/soylent/files': '/orgs/{orgId}/files' },
  },
  {
    // Found on @readme/oas-examples readme-legacy: /version/{versionId} stayed one path per version.
    name: 'version values under a collection that also holds placeholder values are values',
    requests: ['v1.0', 'v1.1', 'v2.0', 'stable', '1.2', 'v3.0.1'].flatMap((v) => [
      { path: `/api/v1/version/${v}`, body: { version: v, codename: 'x', is_stable: true } },
      { method: 'DELETE', path: `/api/v1/version/${v}` },
    ]),
    expected: {
      '/api/v1/version/v1.0': '/api/v1/version/{versionId}',
      '/api/v1/version/stable': '/api/v1/version/{versionId}',
      '/api/v1/version/v3.0.1': '/api/v1/version/{versionId}',
    },
  },
  {
    name: 'parallel version trees stay literal while nothing before them is a parameter or a collection',
    requests: ['v1', 'v2', 'v3', 'v4', 'v5'].flatMap((v) => [
      { path: `/billing/${v}/invoices`, body: [{ id: 1, total: 2.5 }] },
      { path: `/billing/${v}/invoices/12`, body: { id: 1, total: 2.5 } },
    ]),
    expected: {
      '/billing/v1/invoices': '/billing/v1/invoices',
      '/billing/v5/invoices/12': '/billing/v5/invoices/{invoiceId}',
    },
  },
  {
    // Found on @readme/oas-examples readme (3.1): /categories/{section} with guides|reference stayed two paths.
    name: 'enum-like values: two literals under a collection that answers, same subtree and responses',
    requests: [
      { method: 'POST', path: '/branches/7/categories', body: { title: 't', section: 'guides' } },
      ...['guides', 'reference'].flatMap((section) => [
        { path: `/branches/7/categories/${section}`, body: [{ title: 't', section, position: 1 }] },
        ...SLUGS.slice(0, 6).flatMap((t) => [
          { path: `/branches/7/categories/${section}/${t}`, body: { title: t, section, position: 1 } },
          { path: `/branches/7/categories/${section}/${t}/pages`, body: [{ title: t, slug: t }] },
        ]),
      ]),
    ],
    expected: {
      '/branches/7/categories/guides': '/branches/{branchId}/categories/{categoryId}',
      '/branches/7/categories/reference/hello-world': '/branches/{branchId}/categories/{categoryId}/{categoryId2}',
      '/branches/7/categories/guides/summer-sale/pages':
        '/branches/{branchId}/categories/{categoryId}/{categoryId2}/pages',
    },
  },
  {
    // Found on @readme/oas-examples readme (3.1): the enum rule must not fold /guides and /reference of a branch.
    name: 'enum rule: sub-collections of an item stay literal, however alike they answer',
    requests: ['guides', 'reference'].flatMap((c) => [
      { path: '/branches/7', body: { name: 'stable', default: true } },
      { method: 'POST', path: `/branches/7/${c}`, body: { title: 't', slug: 's', body: 'b' } },
      ...SLUGS.slice(0, 6).map((t) => ({ path: `/branches/7/${c}/${t}`, body: { title: t, slug: t, body: 'b' } })),
    ]),
    expected: {
      '/branches/7/guides': '/branches/{branchId}/guides',
      '/branches/7/reference/hello-world': '/branches/{branchId}/reference/{referenceId}',
      '/branches/7/guides/hello-world': '/branches/{branchId}/guides/{guideId}',
    },
  },
  {
    name: 'enum rule: actions and literals next to a parameter stay literal (/orders/export, /users/me)',
    requests: [
      { path: '/orders', body: [{ id: 1, total: 2.5 }] },
      { path: '/orders/export', body: { url: 'x', expiresAt: '2024-01-01T00:00:00Z' } },
      { method: 'POST', path: '/orders/import', body: { jobId: 'j', status: 'queued' } },
      { path: '/users', body: [user(1)] },
      { path: '/users/1', body: user(1) },
      { path: '/users/2', body: user(2) },
      { path: '/users/me', body: user(3) },
      { path: '/users/me/repos', body: [{ id: 1, name: 'r' }] },
      { path: '/users/self', body: user(3) },
      { path: '/users/self/repos', body: [{ id: 1, name: 'r' }] },
    ],
    expected: {
      '/orders/export': '/orders/export',
      '/orders/import': '/orders/import',
      '/users/1': '/users/{userId}',
      '/users/me': '/users/me',
      '/users/self/repos': '/users/self/repos',
    },
  },
  {
    name: 'enum rule: two sub-collections of a collection with fields of their own stay literal',
    requests: [
      { path: '/shop', body: { name: 'x' } },
      ...['orders', 'carts'].flatMap((c) => [
        {
          path: `/shop/${c}`,
          body: { data: [{ id: 1, createdAt: '2024-01-01T00:00:00Z', [`${c}Only`]: 1, [`${c}Too`]: 'x' }] },
        },
        {
          path: `/shop/${c}/12`,
          body: { id: 1, createdAt: '2024-01-01T00:00:00Z', [`${c}Only`]: 1, [`${c}Too`]: 'x' },
        },
      ]),
    ],
    expected: { '/shop/orders': '/shop/orders', '/shop/carts/12': '/shop/carts/{cartId}' },
  },
  {
    // Found on @readme/oas-examples readme-legacy: an API answering 200 with no body left every slug literal.
    name: 'no bodies at all: many slugs with the same methods under a collection that answers are values',
    requests: [
      { path: '/changelogs' },
      { method: 'POST', path: '/changelogs' },
      ...SLUGS.flatMap((s, i) => [
        { method: i % 3 === 0 ? 'PUT' : 'GET', path: `/changelogs/${s}` },
        { method: i % 2 === 0 ? 'DELETE' : 'GET', path: `/changelogs/${s}` },
      ]),
    ],
    expected: {
      '/changelogs/hello-world': '/changelogs/{changelogId}',
      '/changelogs/small-steps': '/changelogs/{changelogId}',
    },
  },
  {
    name: 'no bodies at all: slugs under a literal that does not answer, or few of them, stay literal',
    requests: [
      ...SLUGS.map((s) => ({ method: 'POST', path: `/hooks/${s}` })),
      { path: '/tasks' },
      ...SLUGS.slice(0, 5).map((s) => ({ method: 'POST', path: `/tasks/${s}` })),
    ],
    expected: { '/hooks/hello-world': '/hooks/hello-world', '/tasks/summer-sale': '/tasks/summer-sale' },
  },
  {
    // Found on @readme/oas-examples petstore (3.1) at 12 requests per operation: GET /user/login and
    // /user/logout (12 requests each) folded into /user/{username}, whose values had up to 6 each,
    // spread over GET, PUT and DELETE. Hot is measured per endpoint, against the values only.
    name: 'hot words stay literal: requests per endpoint against a typical value, not a word',
    requests: [
      ...USERNAMES.flatMap((u, i) =>
        ['GET', 'PUT', 'DELETE'].flatMap((method) =>
          Array.from({ length: 1 + (i % 2) }, () => ({ method, path: `/user/${u}`, body: user(i) })),
        ),
      ),
      ...Array.from({ length: 12 }, () => ({ path: '/user/login', body: 'token' })),
      ...Array.from({ length: 12 }, () => ({ path: '/user/logout' })),
      ...Array.from({ length: 12 }, () => ({ path: '/user/createWithArray', method: 'POST', body: user(1) })),
    ],
    counted: true,
    expected: {
      '/user/octocat': '/user/{userId}',
      '/user/login': '/user/login',
      '/user/logout': '/user/logout',
    },
  },
  {
    // Found on @readme/oas-examples petstore (3.0) once 404-only paths stopped reaching templating:
    // PUT /user/substack, the only request to that username, stayed literal as an "action".
    name: 'only word-like names are actions: a value seen with one rare method is a value',
    requests: [
      ...USERNAMES.slice(0, 6).map((u, i) => ({ path: `/user/${u}`, body: user(i) })),
      { method: 'DELETE', path: `/user/${USERNAMES[6]}` },
      { method: 'PUT', path: '/user/substack', body: user(9) },
      { method: 'POST', path: '/user/createWithArray', body: user(1) },
    ],
    expected: {
      '/user/substack': '/user/{userId}',
      '/user/mojombo': '/user/{userId}',
      '/user/octocat': '/user/{userId}',
      '/user/createWithArray': '/user/createWithArray',
    },
  },
  {
    // Found on @readme/oas-examples readme (3.1), seed 10 at 12 requests per operation: the API file
    // names stayed literal because one of them was only ever deleted (nothing to compare).
    name: 'values with nothing to compare do not veto values that answered alike (file names)',
    requests: [
      ...['billing.json', 'search.json', 'payments.yml', 'orders-api.yaml', 'users-v2.yaml'].flatMap((f) => [
        { path: `/projects/7/apis/${f}`, body: { filename: f, size: 12, uploadedAt: '2024-01-01T00:00:00Z' } },
        {
          method: 'PUT',
          path: `/projects/7/apis/${f}`,
          body: { filename: f, size: 12, uploadedAt: '2024-01-01T00:00:00Z' },
        },
      ]),
      { method: 'DELETE', path: '/projects/7/apis/petstore.json' },
    ],
    expected: {
      '/projects/7/apis/billing.json': '/projects/{projectId}/apis/{apiId}',
      '/projects/7/apis/orders-api.yaml': '/projects/{projectId}/apis/{apiId}',
      '/projects/7/apis/petstore.json': '/projects/{projectId}/apis/{apiId}',
    },
  },
  {
    name: 'a root-level identifier is named id',
    requests: [{ path: '/12345' }],
    expected: { '/12345': '/{id}' },
  },
]

describe('templatePaths', () => {
  test.each(cases)('$name', ({ requests, expected, counted }) => {
    const got = templatesOf(requests, {}, counted)
    for (const [path, template] of Object.entries(expected)) expect([path, got.get(path)]).toEqual([path, template])
  })

  test('types: integer when every value is an integer, uuid when every value is a uuid, else string', () => {
    const endpoints = endpointsFrom([
      { path: '/orders/1' },
      { path: '/orders/2/lines/3e4e0e9a-9d3c-4f0b-8a55-1c2d3e4f5a6b' },
      { path: '/files/12' },
      { path: '/files/abcdef12345' },
    ])
    const { templates } = templatePaths(endpoints)
    const params = Object.fromEntries(templates.map((t) => [t.template, t.params]))
    expect(params['/orders/{orderId}']).toEqual([{ name: 'orderId', index: 1, type: 'integer' }])
    expect(params['/orders/{orderId}/lines/{lineId}']).toEqual([
      { name: 'orderId', index: 1, type: 'integer' },
      { name: 'lineId', index: 3, type: 'string', format: 'uuid' },
    ])
    expect(params['/files/{fileId}']).toEqual([{ name: 'fileId', index: 1, type: 'string' }])
  })

  test('published templates are matched first: exact literal beats template, fewer parameters beat more', () => {
    const got = templatesOf(
      [{ path: '/users/1' }, { path: '/users/me' }, { path: '/users/2/avatar' }, { path: '/shadow/9' }],
      { publishedTemplates: ['/users/{id}', '/users/me', '/{a}/{b}/avatar', '/users/{id}/avatar'] },
    )
    expect(Object.fromEntries(got)).toEqual({
      '/users/1': '/users/{id}',
      '/users/me': '/users/me',
      '/users/2/avatar': '/users/{id}/avatar',
      '/shadow/9': '/shadow/{shadowId}',
    })
  })

  test('pins apply to stored data: templates win over the spec, literals undo a placeholder and block collapse', () => {
    const requests: Request[] = [
      { path: '/archive/2024' },
      { path: '/reports/17' },
      ...SLUGS.map((s) => ({ path: `/posts/${s}`, body: post(s) })),
    ]
    const got = templatesOf(requests, {
      publishedTemplates: ['/reports/{id}'],
      pins: { templates: ['/reports/{reportNumber}', '/archive/{year}'], literals: ['2024', 'hello-world'] },
    })
    // Stored as /archive/{int} with the single value 2024: the pin restores the literal.
    expect(got.get('/archive/2024')).toBe('/archive/2024')
    expect(got.get('/reports/17')).toBe('/reports/{reportNumber}')
    expect(got.get('/posts/hello-world')).toBe('/posts/hello-world')
    expect(got.get('/posts/summer-sale')).toBe('/posts/{postId}')
  })

  test('a word requested far more often than the values around it stays literal (/users/me)', () => {
    const requests: Request[] = [
      ...USERNAMES.map((u) => ({ path: `/users/${u}`, body: { login: u, id: 1, type: 'User' } })),
      ...Array.from({ length: 40 }, () => ({ path: '/users/me', body: { login: 'me', id: 1, type: 'User' } })),
      ...Array.from({ length: 40 }, () => ({ path: '/users/self', body: { login: 'me', id: 1, type: 'User' } })),
    ]
    const endpoints = endpointsFrom(requests).map((e) => ({
      ...e,
      count: requests.filter((r) => r.path === e.pathKey).length,
    }))
    const { endpointTemplates } = templatePaths(endpoints)
    const byPath = Object.fromEntries(endpoints.map((e, i) => [e.pathKey, endpointTemplates[i]]))
    expect(byPath['/users/octocat']).toBe('/users/{userId}')
    expect(byPath['/users/me']).toBe('/users/me')
    expect(byPath['/users/self']).toBe('/users/self')
    // The same words at the same rate as the values are values.
    const flat = templatePaths(endpointsFrom(requests))
    expect(flat.templates.map((t) => t.template)).toEqual(['/users/{userId}'])
  })

  test('order of endpoints does not change the result', () => {
    const requests: Request[] = [
      ...SLUGS.map((s) => ({ path: `/posts/${s}`, body: post(s) })),
      { path: '/users/me', body: user(1) },
      { path: '/users/5', body: user(5) },
    ]
    const endpoints = endpointsFrom(requests)
    const a = templatePaths(endpoints).templates
    const b = templatePaths([...endpoints].reverse()).templates
    expect(b).toEqual(a)
  })
})
