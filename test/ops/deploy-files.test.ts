import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Registry } from 'prom-client'
import { describe, expect, onTestFinished, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { startAdminServer } from '../../src/admin/index.js'
import { findTool, inCi } from './tools.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const repo = (path: string) => `${root}${path}`
const defaults = parseYaml(readFileSync(repo('config/default.yaml'), 'utf8')) as {
  proxy: { port: number }
  admin: { port: number }
}

interface ComposeService {
  image?: string
  build?: string
  command?: string[]
  ports?: string[]
  volumes?: string[]
  environment?: Record<string, string>
  network_mode?: string
  profiles?: string[]
}
const compose = parseYaml(readFileSync(repo('docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>
}
const dockerfile = readFileSync(repo('Dockerfile'), 'utf8')

describe('docker-compose.yml', () => {
  test('is valid for docker-compose config', async (ctx) => {
    // Checked here rather than at collection, so a missing tool under CI fails this test only.
    if (findTool('docker-compose') === undefined) {
      if (!inCi) ctx.skip()
      throw new Error('docker-compose is missing under CI: apt-get install -y --no-install-recommends docker-compose')
    }
    const { stdout, stderr } = await run('docker-compose', ['-f', repo('docker-compose.yml'), 'config', '-q'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' },
    })
    expect(`${stdout}${stderr}`).not.toMatch(/error|invalid/i)
  })

  test('runs Specter, the sample upstream, Prometheus and Grafana by default', () => {
    // Services under a profile (the `cluster` scale-out set) only start when asked for.
    const byDefault = Object.entries(compose.services).filter(([, s]) => s.profiles === undefined)
    expect(byDefault.map(([name]) => name).sort()).toEqual(['grafana', 'prometheus', 'sample-api', 'specter'])
    expect(compose.services['specter']?.build).toBe('.')
    // The sample API only listens on loopback: it must share Specter's network namespace.
    expect(compose.services['sample-api']?.network_mode).toBe('service:specter')
    expect(compose.services['specter']?.environment?.['SPECTER_PROXY_UPSTREAM']).toBe('http://127.0.0.1:3000')
    expect(compose.services['sample-api']?.command).toContain('3000')
  })

  test("Specter's published spec is a file the image ships", () => {
    const specPath = compose.services['specter']?.environment?.['SPECTER_SPEC_PATH'] ?? ''
    expect(specPath.startsWith('/app/')).toBe(true)
    const relative = specPath.slice('/app/'.length)
    expect(existsSync(repo(relative))).toBe(true)
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(\S+) \S+$/gm)].map((m) => m[1] as string)
    expect(copied.some((source) => relative.startsWith(source))).toBe(true)
  })

  test('publishes ports on host loopback only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/)
    }
    expect(compose.services['specter']?.ports).toEqual([
      `127.0.0.1:${defaults.proxy.port}:${defaults.proxy.port}`,
      `127.0.0.1:${defaults.admin.port}:${defaults.admin.port}`,
    ])
  })

  test('mounts files that exist in the repository', () => {
    const mounts = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => v.split(':')[0] as string)
    expect(mounts.length).toBeGreaterThanOrEqual(4)
    for (const mount of mounts) expect(existsSync(repo(mount.slice(2))), mount).toBe(true)
  })

  test("Prometheus scrapes Specter's admin port", () => {
    const prom = parseYaml(readFileSync(repo('config/prometheus/prometheus.yml'), 'utf8'))
    expect(prom.scrape_configs[0].static_configs[0].targets).toEqual([`specter:${defaults.admin.port}`])
    expect(prom.scrape_configs[0].metrics_path).toBe('/metrics')
  })
})

describe('Dockerfile', () => {
  const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])

  test('builds in stages on node:20-bookworm-slim and runs as a non-root user', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2)
    expect(froms[0]).toBe('node:20-bookworm-slim')
    expect(froms.at(-1)).toBe('node:20-bookworm-slim')
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
    expect(finalStage).toMatch(/^USER node$/m)
    expect(finalStage).toMatch(/COPY --from=prod-deps \/app\/node_modules/)
    expect(dockerfile).toMatch(/npm prune --omit=dev/)
    expect(finalStage).not.toMatch(/npm (ci|install)/)
    expect(finalStage).toMatch(new RegExp(`^EXPOSE ${defaults.proxy.port} ${defaults.admin.port}$`, 'm'))
  })

  test('copies only paths that exist', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] as string).split(' '))
    expect(sources.length).toBeGreaterThan(3)
    for (const source of sources) expect(existsSync(repo(source)), source).toBe(true)
    const ignore = readFileSync(repo('.dockerignore'), 'utf8').split('\n')
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '*.db']))
  })

  test('its HEALTHCHECK command passes against a live admin listener and fails without one', async () => {
    const match = /HEALTHCHECK[^\n]*\\\n\s*CMD \["node", "-e", "(.+)"\]$/m.exec(dockerfile)
    expect(match).not.toBeNull()
    const script = String(match?.[1]).replaceAll('\\"', '"')
    expect(script).toContain(`http://127.0.0.1:${defaults.admin.port}/healthz`)
    const admin = await startAdminServer({
      host: '127.0.0.1',
      port: 0,
      token: '',
      metricsRequireToken: false,
      registry: new Registry(),
    })
    onTestFinished(() => admin.close())
    const probe = (port: number) =>
      run(process.execPath, ['-e', script.replace(`:${defaults.admin.port}/`, `:${port}/`)]).then(
        () => 0,
        (err: { code: number }) => err.code,
      )
    expect(await probe(admin.port)).toBe(0)
    await admin.close()
    expect(await probe(admin.port)).toBe(1)
  })
})
