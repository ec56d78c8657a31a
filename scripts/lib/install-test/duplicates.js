// Finds the @backstage/* packages that the @jit-access/* packages load in another copy than the
// app does (two copies of, say, @backstage/plugin-catalog-react split React contexts and API
// refs at run time, and double the bundle). Prints each with the versions and where each copy
// is; exits 1 when there is one.
//   node duplicates.js <app dir>
const fs = require('fs');
const path = require('path');

const appDir = path.resolve(process.argv[2] ?? '.');

/** Every installed package under `dir`/node_modules, nested ones included. */
function* installed(dir) {
  const modules = path.join(dir, 'node_modules');
  let entries;
  try {
    entries = fs.readdirSync(modules, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? fs
          .readdirSync(path.join(modules, entry.name), { withFileTypes: true })
          .filter(e => e.isDirectory())
          .map(e => `${entry.name}/${e.name}`)
      : [entry.name];
    for (const name of names) {
      const pkgDir = path.join(modules, name);
      try {
        const pkg = JSON.parse(
          fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
        );
        yield { name, version: pkg.version, dir: pkgDir, pkg };
      } catch {
        continue;
      }
      yield* installed(pkgDir);
    }
  }
}

/** The copy of `name` that code in `fromDir` loads (Node's lookup through node_modules). */
function resolveFrom(fromDir, name) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    try {
      const pkg = JSON.parse(
        fs.readFileSync(path.join(candidate, 'package.json'), 'utf8'),
      );
      return { dir: candidate, version: pkg.version };
    } catch {
      if (dir === path.dirname(dir) || dir === path.dirname(appDir)) {
        return undefined;
      }
    }
  }
}

const workspaces = ['.', 'packages/app', 'packages/backend'].map(p =>
  path.join(appDir, p),
);
const copies = new Map();
const plugins = [];
for (const root of workspaces) {
  for (const found of installed(root)) {
    if (found.name.startsWith('@jit-access/')) plugins.push(found);
    if (!found.name.startsWith('@backstage/')) continue;
    const list = copies.get(found.name) ?? [];
    list.push(found);
    copies.set(found.name, list);
  }
}

if (plugins.length === 0) {
  console.log('duplicates: no @jit-access/* package is installed');
  process.exit(1);
}

// A plugin brings a second copy of a @backstage/* package when the copy it loads is not the one
// the app loads: the frontend plugin is compared with packages/app, the others with
// packages/backend.
const problems = new Map();
let checked = 0;
for (const plugin of plugins) {
  const frontend = plugin.pkg.backstage?.role === 'frontend-plugin';
  const workspace = path.join(
    appDir,
    frontend ? 'packages/app' : 'packages/backend',
  );
  for (const dep of Object.keys(plugin.pkg.dependencies ?? {})) {
    if (!dep.startsWith('@backstage/')) continue;
    checked += 1;
    const ours = resolveFrom(plugin.dir, dep);
    const theirs = resolveFrom(workspace, dep);
    if (!ours || !theirs || ours.dir === theirs.dir) continue;
    const problem = problems.get(dep) ?? { dep, lines: new Set() };
    problem.lines.add(
      `${plugin.name} loads ${ours.version} (${path.relative(
        appDir,
        ours.dir,
      )}), ${path.relative(appDir, workspace)} loads ${
        theirs.version
      } (${path.relative(appDir, theirs.dir)})`,
    );
    problems.set(dep, problem);
  }
}

for (const { dep, lines } of [...problems.values()].sort((a, b) =>
  a.dep.localeCompare(b.dep),
)) {
  const versions = [...new Set((copies.get(dep) ?? []).map(c => c.version))];
  console.log(`duplicate: ${dep} (installed: ${versions.join(', ')})`);
  for (const line of lines) console.log(`  ${line}`);
}
console.log(
  `duplicates: ${problems.size} @backstage/* packages loaded in another copy by the plugins than by the app (${checked} dependencies of ${plugins.length} @jit-access/* packages checked)`,
);
process.exit(problems.size ? 1 : 0);
