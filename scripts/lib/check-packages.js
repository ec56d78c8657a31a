// Checks what each published package (a non-private workspace under plugins/) would put in its
// tarball, from `npm pack --dry-run` after the packages are built (`backstage-cli repo build`):
// - dist/ with the entry points publishConfig names and a .d.ts per entry point;
// - LICENSE and README.md;
// - config.d.ts when the package has a configuration schema, migrations/ when it has migrations;
// - every package its built .d.ts files import is a dependency or peer dependency, so that a
//   consumer's typecheck finds it.
// One result per package; writes { passed, failed } to the file given with --results.
//   usage: node scripts/lib/check-packages.js [--results <file>]
const { execFileSync } = require('child_process');
const { builtinModules } = require('module');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const resultsArg = process.argv.indexOf('--results');
const resultsFile =
  resultsArg > 0 ? path.resolve(process.argv[resultsArg + 1]) : undefined;

function packedFiles(dir) {
  // --ignore-scripts: prepack (backstage-cli package prepack) only rewrites package.json; the
  // file list is decided by `files`, which is what this checks.
  const out = execFileSync(
    'npm',
    ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out)[0].files.map(f => f.path);
}

// The package a module specifier names: '@scope/name/sub' -> '@scope/name', 'name/sub' -> 'name'.
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importsOf(dtsText) {
  const specifiers = new Set();
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\/\/\/\s*<reference\s+types=['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) {
    for (const match of dtsText.matchAll(pattern)) specifiers.add(match[1]);
  }
  return [...specifiers].filter(s => !s.startsWith('.'));
}

function checkPackage(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json')));
  const problems = [];
  const files = new Set(packedFiles(dir));
  const has = file => files.has(file);
  const hasUnder = folder => [...files].some(f => f.startsWith(`${folder}/`));

  if (!hasUnder('dist')) problems.push('no dist/ (is the package built?)');
  for (const field of ['main', 'module', 'types']) {
    const target = pkg.publishConfig?.[field];
    if (target && !has(path.posix.normalize(target))) {
      problems.push(`publishConfig.${field} ${target} is not in the tarball`);
    }
  }
  // Every entry point beside the main one gets its own declarations in dist/.
  for (const entry of Object.keys(pkg.exports ?? {})) {
    if (entry === '.' || entry === './package.json') continue;
    const dts = `dist/${entry.replace(/^\.\//, '')}.d.ts`;
    if (!has(dts)) problems.push(`entry point ${entry}: no ${dts}`);
  }
  for (const file of ['LICENSE', 'README.md']) {
    if (!has(file)) problems.push(`no ${file}`);
  }
  if (
    (pkg.configSchema || fs.existsSync(path.join(dir, 'config.d.ts'))) &&
    !has('config.d.ts')
  ) {
    problems.push('no config.d.ts (the configuration schema)');
  }
  if (fs.existsSync(path.join(dir, 'migrations')) && !hasUnder('migrations')) {
    problems.push('no migrations/');
  }

  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const undeclared = new Set();
  for (const file of files) {
    if (!file.startsWith('dist/') || !file.endsWith('.d.ts')) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const specifier of importsOf(text)) {
      const name = packageOf(specifier);
      const builtin =
        specifier.startsWith('node:') || builtinModules.includes(name);
      if (!builtin && !declared.has(name)) undeclared.add(`${name} (${file})`);
    }
  }
  for (const name of undeclared) {
    problems.push(`declarations import ${name}, which is not a dependency`);
  }
  return { name: pkg.name, problems };
}

const dirs = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(d => path.join(root, 'plugins', d))
  .filter(d => fs.existsSync(path.join(d, 'package.json')))
  .filter(
    d => !JSON.parse(fs.readFileSync(path.join(d, 'package.json'))).private,
  );

let passed = 0;
let failed = 0;
for (const dir of dirs) {
  let result;
  try {
    result = checkPackage(dir);
  } catch (error) {
    result = { name: path.relative(root, dir), problems: [String(error)] };
  }
  if (result.problems.length === 0) {
    passed += 1;
    console.log(`ok   ${result.name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${result.name}`);
    for (const problem of result.problems) console.log(`     - ${problem}`);
  }
}
console.log(`packages: ${passed} passed, ${failed} failed`);
if (resultsFile) {
  fs.writeFileSync(resultsFile, JSON.stringify({ passed, failed }));
}
process.exit(failed > 0 ? 1 : 0);
