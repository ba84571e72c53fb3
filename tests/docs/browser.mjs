// The built site, as a reader sees it: served on 127.0.0.1 and opened in
// headless Chromium (Debian's package). The three API references render with
// their content, the search finds `get_customer`, no page throws, and a
// screenshot of the search results is saved.
//
// Usage: node tests/docs/browser.mjs SITE_DIR SCREENSHOT.png
// CHROMIUM names the browser (default: `chromium` on PATH).
import assert from 'node:assert/strict'
import { createReadStream, existsSync, statSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../tools/package.json'))
const puppeteer = require('puppeteer-core')

const [siteDir, screenshot] = process.argv.slice(2)
assert.ok(siteDir && screenshot, 'usage: browser.mjs SITE_DIR SCREENSHOT.png')
const root = path.resolve(siteDir)
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' }

const server = http.createServer((req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
  if (!file.startsWith(root)) return void res.writeHead(403).end()
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html')
  if (!existsSync(file)) return void res.writeHead(404).end('not found')
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
  createReadStream(file).pipe(res)
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${server.address().port}`

// puppeteer wants a path; look the name up on PATH as a shell would.
const name = process.env.CHROMIUM || 'chromium'
const executablePath = path.isAbsolute(name) ? name : (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, name)).find((p) => existsSync(p))
assert.ok(executablePath, `${name} is not on PATH (Debian: apt-get install chromium)`)
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
})
const failures = []
try {
  const page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 900 })
  page.on('pageerror', (e) => failures.push(`${page.url()}: ${e.message}`))
  page.on('response', (r) => {
    // (the browser asks for /favicon.ico on its own; no page links it)
    if (r.url().startsWith(base) && r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failures.push(`${r.url()}: HTTP ${r.status()}`)
  })

  async function open(route, check) {
    const res = await page.goto(base + route, { waitUntil: 'networkidle0' })
    assert.equal(res.status(), 200, `${route}: HTTP ${res.status()}`)
    await check()
    console.log(`ok: ${route}`)
  }
  const text = (selector) => page.$eval(selector, (el) => el.textContent ?? '')

  await open('/reference/python/', async () => {
    // mkdocstrings' heading and signature of the sync lookup
    const sig = await text('[id="enneo.Client.get_customer"]')
    assert.match(sig, /get_customer/)
    const body = await text('article')
    for (const name of ['AsyncClient', 'NotFoundError', 'MockServer', 'get_customer_by_contract_id', 'iter_customers']) assert.ok(body.includes(name), `Python reference lacks ${name}`)
  })
  await open('/api/node/classes/index.Client.html', async () => {
    assert.match(await text('h1'), /Client/)
    const body = await text('body')
    for (const name of ['getCustomer', 'getCustomers', 'streamCustomers', 'withOptions']) assert.ok(body.includes(name), `Node reference lacks ${name}`)
  })
  await open('/api/rust/enneo/struct.Client.html', async () => {
    assert.match(await text('h1'), /Client/)
    const body = await text('body')
    for (const name of ['get_customer', 'customer_stream', 'builder']) assert.ok(body.includes(name), `Rust reference lacks ${name}`)
  })
  await open('/', async () => {
    assert.ok(await page.$('img[src$="benchmarks.svg"]'), 'the home page shows the benchmark chart')
    await page.click('.md-search__input')
    await page.type('.md-search__input', 'get_customer')
    await page.waitForSelector('.md-search-result__item', { timeout: 15_000 })
    const hits = await page.$$eval('.md-search-result__item a', (as) => as.map((a) => a.getAttribute('href') ?? ''))
    assert.ok(hits.some((h) => h.includes('reference/python')), `search for get_customer: no hit in the Python reference (${hits.join(', ')})`)
    await page.screenshot({ path: screenshot })
    console.log(`ok: search finds get_customer (${hits.length} hits); screenshot ${screenshot}`)
  })
} finally {
  await browser.close()
  server.close()
}
assert.deepEqual(failures, [], 'the pages loaded without errors')
