// The HTML report in a real browser (Debian's headless Chromium over the DevTools Protocol): a
// report built from real traffic through the proxy into a real store, with attacker-written paths
// and JSON keys, must run its script without errors, request nothing beyond its own file, show
// the summary first, sort and filter on real clicks and keystrokes, and show hostile strings as
// text without ever running them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, onTestFinished, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { chromiumMissing, launchChromium, type Page, startRecordingProxy } from '../helpers/chromium.js'
import { testIo } from '../helpers/cli-io.js'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { TRAFFIC_SPEC, writeSpec } from './fixture.js'

// Each payload, if it ever became markup, would set window.__pwned.
const HOSTILE_KEY = '<img src=x onerror=window.__pwned=1>'
const SCRIPT_KEY = '</script><script>window.__pwned=2</script>'
// A raw request target: Node's client sends `"`, `<` and `>` unencoded, and the capture keeps
// path segments as they were on the wire.
const HOSTILE_PATH = '/reports/"><svg/onload=window.__pwned=3>'
// Loopback only: chromium sends it to the recording proxy, which answers nothing.
const PROBE_URL = 'http://127.0.0.1:4999/specter-probe.css'
const HOSTILE_REASON = '<img src=y onerror=window.__pwned=4> legacy clients'

async function recordTraffic(db: string, calls: Array<[method: string, path: string, times: number]>) {
  const upstream = await startUpstream((req, res) => {
    res.setHeader('content-type', 'application/json')
    const url = req.url ?? '/'
    const user = /^\/users\/([0-9]+)$/.exec(url)
    if (user !== null) {
      const id = Number(user[1])
      // User 9 has a drifted name (a number): a finding that appears only in the second run.
      res.end(JSON.stringify({ id, name: id === 9 ? 9 : 'ada', [HOSTILE_KEY]: 1, [SCRIPT_KEY]: 2 }))
    } else {
      res.end('[]')
    }
  })
  const app = await startSpecter({ upstream, dbPath: db })
  for (const [method, path, times] of calls) {
    for (let i = 0; i < times; i++) {
      const res = await send(app.url, { method, path })
      expect(res.status, `${method} ${path}`).toBe(200)
    }
  }
  await app.capture.drain()
  await app.close()
}

async function cli(args: string[], cwd: string): Promise<string> {
  const io = testIo({}, cwd)
  const code = await main(args, io)
  expect(code, io.stderr.text).toBe(0)
  return io.stdout.text
}

interface Row {
  severity: string
  operation: string
  rule: string
  /** the Count column: its number and its text ('3 requests', '12 values in 3 requests') */
  count: number
  countText: string
  lastSeen: number
  status: string
}

/** The findings table's rows that are actually rendered (laid out), in document order. */
const visibleRows = (page: Page) =>
  page.evaluate<Row[]>(`[...document.querySelectorAll('#findings tbody tr')]
    .filter((r) => r.getClientRects().length > 0)
    .map((r) => ({
      severity: r.getAttribute('data-severity'),
      operation: r.cells[1].textContent,
      rule: r.cells[2].textContent,
      count: Number(r.cells[4].getAttribute('data-sort')),
      countText: r.cells[4].textContent,
      lastSeen: Number(r.cells[5].getAttribute('data-sort')),
      status: r.getAttribute('data-status'),
    }))`)

const shownCount = (page: Page) => page.evaluate<number>(`Number(document.getElementById('shown').textContent)`)

/** Elements with their own text whose colour is below 3:1 contrast with the background behind them. */
const LOW_CONTRAST = `(() => {
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 }
  const luminance = (css) => {
    const [r, g, b] = css.match(/[0-9.]+/g).map(Number).map(channel)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const background = (el) => {
    for (let e = el; e !== null; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor
      const parts = c.match(/[0-9.]+/g)
      if (parts.length < 4 || Number(parts[3]) > 0) return c
    }
    return 'rgb(255, 255, 255)'
  }
  const low = []
  for (const el of document.querySelectorAll('body *')) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '')
    if (!ownText || el.getClientRects().length === 0) continue
    const a = luminance(getComputedStyle(el).color)
    const b = luminance(background(el))
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
    if (ratio < 3) low.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2) + ': ' + el.textContent.slice(0, 40))
  }
  return low
})()`

const VIEWPORT = { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }
const RANK = ['info', 'low', 'medium', 'high', 'critical']
const sorted = <T>(list: T[], compare: (a: T, b: T) => number) => [...list].sort(compare)

test.skipIf(chromiumMissing())(
  'the HTML report of real traffic runs cleanly in headless Chromium: self-contained, summary first, sorting, filtering, hostile strings inert',
  async () => {
    const db = tempDbPath()
    const spec = writeSpec(TRAFFIC_SPEC)
    const cwd = dirname(spec)

    // First run: traffic, a saved report, one finding acknowledged (with a hostile reason).
    await recordTraffic(db, [
      ['GET', '/users/1', 4],
      ['GET', '/users/2', 1],
      ['DELETE', '/users/2', 1],
      ['GET', '/admin/stats', 2],
      ['POST', '/admin/flush', 1],
      ['GET', '/v1/orders', 3],
      ['GET', '/v2/orders', 1],
      ['GET', HOSTILE_PATH, 5],
    ])
    const first = JSON.parse(
      await cli(['report', '--spec', spec, '--db', db, '--format', 'json', '--no-spec-diff'], cwd),
    )
    const zombie = first.findings.find((f: { rule: string }) => f.rule === 'zombie-operation')
    expect(zombie?.id).toBeTypeOf('number')
    await cli(['findings', 'ack', String(zombie.id), '--reason', HOSTILE_REASON, '--db', db], cwd)

    // Second run: one new drift, then the HTML report (findings new, open and acknowledged).
    await recordTraffic(db, [['GET', '/users/9', 2]])
    const out = mkdtempSync(join(tmpdir(), 'specter-html-'))
    onTestFinished(() => rmSync(out, { recursive: true, force: true }))
    const file = join(out, 'report.html')
    await cli(['report', '--spec', spec, '--db', db, '--format', 'html', '--out', file], cwd)
    const html = readFileSync(file, 'utf8')
    const fileUrl = pathToFileURL(file).href

    // Every network request chromium makes, loopback included, goes to this proxy.
    const proxy = await startRecordingProxy()
    const browser = await launchChromium({ proxyUrl: proxy.url })

    // The detector works: the same payload under the report's own policy, unescaped, does run.
    const policy = /<meta http-equiv="Content-Security-Policy"[^>]*>/.exec(html)?.[0]
    expect(policy).toBeDefined()
    const control = join(out, 'control.html')
    writeFileSync(control, `<!doctype html><html><head>${policy}</head><body>${HOSTILE_KEY}</body></html>`)
    const controlPage = await browser.newPage()
    await controlPage.navigate(pathToFileURL(control).href)
    await expect
      .poll(() => controlPage.evaluate<number | undefined>('window.__pwned'), { timeout: 5_000, interval: 50 })
      .toBe(1)

    // And so does the request detector: a page that does fetch something is seen doing it.
    const leaky = join(out, 'leaky.html')
    writeFileSync(leaky, `<!doctype html><html><head><link rel="stylesheet" href="${PROBE_URL}"></head></html>`)
    const leakyPage = await browser.newPage()
    await leakyPage.navigate(pathToFileURL(leaky).href)
    expect(
      leakyPage.events('Network.requestWillBeSent').map((e) => (e.params['request'] as { url: string }).url),
    ).toContain(PROBE_URL)
    await expect.poll(() => proxy.foreign(), { timeout: 5_000, interval: 50 }).toEqual([`GET ${PROBE_URL} HTTP/1.1`])

    const page = await browser.newPage()
    await page.send('Emulation.setDeviceMetricsOverride', VIEWPORT)
    await page.navigate(fileUrl)
    // By hand: SPECTER_REPORT_SCREENSHOT=/tmp/x.png writes the first screen as a reader sees it.
    const firstScreen = process.env['SPECTER_REPORT_SCREENSHOT']
    if (firstScreen !== undefined)
      writeFileSync(firstScreen.replace(/\.png$/, '-first-screen.png'), await page.screenshot())

    // Summary first, laid out above everything else, with counts that match the table.
    const layout = await page.evaluate<{
      sections: string[]
      tops: Record<string, number>
      cards: Record<string, number>
    }>(`({
      sections: [...document.querySelectorAll('main > section')].map((s) => s.id),
      tops: Object.fromEntries(['summary', 'top-risks', 'all-findings', 'by-operation']
        .map((id) => [id, document.getElementById(id).getBoundingClientRect().top])),
      cards: Object.fromEntries([...document.querySelectorAll('#summary .card')]
        .map((c) => [c.getAttribute('data-severity') ?? c.childNodes[1].textContent.trim(), Number(c.querySelector('b').textContent)])),
    })`)
    expect(layout.sections.slice(0, 3)).toEqual(['summary', 'top-risks', 'all-findings'])
    expect(layout.tops['summary']).toBeLessThan(layout.tops['top-risks'] as number)
    expect(layout.tops['top-risks']).toBeLessThan(layout.tops['all-findings'] as number)
    expect(layout.tops['all-findings']).toBeLessThan(layout.tops['by-operation'] as number)
    const all = await visibleRows(page)
    expect(all.length).toBeGreaterThanOrEqual(6)
    for (const severity of RANK) {
      expect(layout.cards[severity], severity).toBe(all.filter((r) => r.severity === severity).length)
    }
    expect(layout.cards).toMatchObject({
      findings: all.length,
      new: all.filter((r) => r.status === 'new').length,
      acknowledged: 1,
    })
    expect(await shownCount(page)).toBe(all.length)
    // The Count column says what its number counts.
    for (const r of all)
      expect(r.countText).toMatch(
        new RegExp(`^${r.count} (requests?|values?( in [0-9]+ requests?)?|distinct objects?)$`),
      )
    const rules = all.map((r) => r.rule)
    for (const rule of ['shadow-service', 'shadow-operation', 'zombie-operation', 'undocumented-response-property']) {
      expect(rules).toContain(rule)
    }
    expect(all.filter((r) => r.rule === 'response-type-mismatch').map((r) => r.status)).toEqual(['new'])

    // Readable: no text fainter than 3:1 against what is behind it (WCAG 2 contrast), evidence
    // included, and nothing wider than the window.
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true })`)
    expect(await page.evaluate<string[]>(LOW_CONTRAST)).toEqual([])
    const overflowPx = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
    expect(await overflowPx()).toBeLessThanOrEqual(0)
    await page.send('Emulation.setDeviceMetricsOverride', { ...VIEWPORT, width: 720 })
    expect(await overflowPx()).toBeLessThanOrEqual(0)
    await page.send('Emulation.setDeviceMetricsOverride', VIEWPORT)

    // Sorting: real clicks on the column headers, read back from the rendered rows.
    const header = (n: number) => `#findings thead th:nth-child(${n})`
    await page.click(header(5))
    const byCountUp = (await visibleRows(page)).map((r) => r.count)
    expect(byCountUp).toEqual(sorted(byCountUp, (a, b) => a - b))
    expect(new Set(byCountUp).size).toBeGreaterThan(2)
    await page.click(header(5))
    expect((await visibleRows(page)).map((r) => r.count)).toEqual(sorted(byCountUp, (a, b) => b - a))
    await page.click(header(1))
    const bySeverity = (await visibleRows(page)).map((r) => RANK.indexOf(r.severity))
    expect(bySeverity).toEqual(sorted(bySeverity, (a, b) => a - b))
    await page.click(header(1))
    expect((await visibleRows(page)).map((r) => RANK.indexOf(r.severity))).toEqual(sorted(bySeverity, (a, b) => b - a))
    await page.click(header(2))
    const byOperation = (await visibleRows(page)).map((r) => r.operation)
    expect(byOperation).toEqual(sorted(byOperation, (a, b) => a.localeCompare(b)))
    await page.click(header(6))
    const byLastSeen = (await visibleRows(page)).map((r) => r.lastSeen)
    expect(byLastSeen).toEqual(sorted(byLastSeen, (a, b) => a - b))
    expect(byLastSeen.every((t) => Number.isFinite(t) && t > 0)).toBe(true)
    expect(await page.evaluate<string | null>(`document.querySelector('${header(6)}').getAttribute('aria-sort')`)).toBe(
      'ascending',
    )

    // From the keyboard as well: Enter on the focused Count header sorts it.
    await page.evaluate(`document.querySelector('${header(5)}').focus()`)
    expect(await page.evaluate<boolean>(`document.activeElement === document.querySelector('${header(5)}')`)).toBe(true)
    await page.press('Enter', 'Enter', 13)
    expect((await visibleRows(page)).map((r) => r.count)).toEqual(byCountUp)

    // Filtering: untick a severity, type a search, choose a status; read what is still rendered.
    await page.click('input[data-sev="high"]')
    let rows = await visibleRows(page)
    expect(rows.length).toBe(all.filter((r) => r.severity !== 'high').length)
    expect(rows.length).toBeLessThan(all.length)
    expect(await shownCount(page)).toBe(rows.length)
    await page.click('input[data-sev="high"]')
    expect(await visibleRows(page)).toHaveLength(all.length)

    await page.click('#search')
    await page.type('/users')
    rows = await visibleRows(page)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(all.length)
    expect(rows.every((r) => r.operation.includes('/users'))).toBe(true)
    expect(await shownCount(page)).toBe(rows.length)
    await page.evaluate(`document.getElementById('search').select()`)
    await page.press('Backspace', 'Backspace', 8)
    expect(await visibleRows(page)).toHaveLength(all.length)

    // The status select, chosen from the keyboard: any status -> new -> open -> acknowledged.
    await page.evaluate(`document.getElementById('status').focus()`)
    for (const status of ['new', 'open', 'acknowledged']) {
      await page.press('ArrowDown', 'ArrowDown', 40)
      expect(await page.evaluate<string>(`document.getElementById('status').value`)).toBe(status)
      rows = await visibleRows(page)
      expect(rows.map((r) => r.status)).toEqual(all.filter((r) => r.status === status).map((r) => r.status))
      expect(await shownCount(page)).toBe(rows.length)
    }
    expect(rows.map((r) => r.rule)).toEqual(['zombie-operation'])

    // Hostile strings: shown as text, no element or handler made from them, nothing ran.
    const text = await page.evaluate<string>('document.body.innerText')
    for (const s of [HOSTILE_KEY, SCRIPT_KEY, '"><svg/onload=window.__pwned=3>', HOSTILE_REASON, 'Shop <b>API</b>']) {
      expect(text).toContain(s)
    }
    expect(
      await page.evaluate(`({
        pwned: window.__pwned,
        scripts: document.scripts.length,
        injected: document.querySelectorAll('img, svg, iframe, object, embed, b:not(.card > b)').length,
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      })`),
    ).toEqual({ scripts: 1, injected: 0, handlers: 0 })

    const screenshotPath = process.env['SPECTER_REPORT_SCREENSHOT']
    const png = await page.screenshot({ fullPage: true })
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    if (screenshotPath !== undefined) writeFileSync(screenshotPath, png)

    // The script ran without an error, and the page asked for nothing but its own file.
    const errors = [
      ...page.events('Runtime.exceptionThrown').map((e) => JSON.stringify(e.params)),
      ...page
        .events('Runtime.consoleAPICalled')
        .filter((e) => e.params['type'] === 'error' || e.params['type'] === 'warning')
        .map((e) => JSON.stringify(e.params)),
      ...page
        .events('Log.entryAdded')
        .filter((e) => ['error', 'warning'].includes((e.params['entry'] as { level: string }).level))
        .map((e) => JSON.stringify(e.params)),
    ]
    expect(errors).toEqual([])
    const requested = page.events('Network.requestWillBeSent').map((e) => (e.params['request'] as { url: string }).url)
    expect(requested).toEqual([fileUrl])
    // The page's own requests (above) are the exact list; the proxy also sees what no page event
    // shows (preconnects, DNS prefetches), beside Chromium's own service calls.
    expect(proxy.foreign()).toEqual([`GET ${PROBE_URL} HTTP/1.1`])
  },
  120_000,
)
