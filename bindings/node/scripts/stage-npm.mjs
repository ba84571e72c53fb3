// Stages and packs the npm packages as napi-rs publishes them: the main
// package, whose optionalDependencies name one package per platform, and
// the platform package of each binary given.
//
//   node scripts/stage-npm.mjs --out DIR [--binary TRIPLE=PATH ...]
//
// Versions come from package.json, which enneo-codegen keeps equal to the
// Cargo workspace version.
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const root = path.join(here, '..', '..')
// One LICENSE and one CHANGELOG for every package, kept at the repository root.
const ROOT_DOCS = new Set(['LICENSE', 'CHANGELOG.md'])
const source = (file) => path.join(ROOT_DOCS.has(file) ? root : here, file)
const { platformOf } = createRequire(import.meta.url)('../platforms.js')
const pkg = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'))

const args = process.argv.slice(2)
const out = path.resolve(args[args.indexOf('--out') + 1])
const binaries = args.flatMap((a, i) => (args[i - 1] === '--binary' ? [a.split('=')] : []))
const stageRoot = path.join(root, 'target', 'npm-stage')
rmSync(stageRoot, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

function pack(dir) {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }).trim()
  console.log(path.join(out, name.split('\n').at(-1)))
}

function write(dir, json) {
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(json, null, 2)}\n`)
}

const common = { version: pkg.version, license: pkg.license, repository: pkg.repository, engines: pkg.engines }

// The main package: the JavaScript, no binary.
const main = path.join(stageRoot, 'main')
mkdirSync(main, { recursive: true })
for (const file of pkg.files) cpSync(source(file), path.join(main, file), { recursive: true })
const { devDependencies, scripts, ...published } = pkg
published.optionalDependencies = Object.fromEntries(pkg.napi.targets.map((t) => [`${pkg.name}-${platformOf(t).suffix}`, pkg.version]))
write(main, published)
pack(main)

// One package per binary, installed by npm only where os/cpu/libc match.
for (const [triple, binary] of binaries) {
  const { suffix, os, cpu, libc } = platformOf(triple)
  const dir = path.join(stageRoot, suffix)
  mkdirSync(dir, { recursive: true })
  const file = `${pkg.napi.binaryName}.${suffix}.node`
  copyFileSync(binary, path.join(dir, file))
  copyFileSync(source('LICENSE'), path.join(dir, 'LICENSE'))
  writeFileSync(path.join(dir, 'README.md'), `# ${pkg.name}-${suffix}\n\nThe ${triple} binary of [\`${pkg.name}\`](https://www.npmjs.com/package/${pkg.name}). Install \`${pkg.name}\`, not this package.\n`)
  write(dir, {
    name: `${pkg.name}-${suffix}`,
    ...common,
    description: `The ${triple} binary of ${pkg.name}`,
    main: file,
    files: [file, 'README.md', 'LICENSE'],
    os: [os],
    cpu: [cpu],
    ...(libc ? { libc: [libc] } : {}),
  })
  pack(dir)
}
