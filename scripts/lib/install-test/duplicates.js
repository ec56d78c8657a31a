// Finds @backstage/* packages that the @jit-access/* packages depend on and that are installed
// more than once in an app's node_modules (two copies of, say, @backstage/core-plugin-api break
// React contexts and API refs at run time). Prints each with its versions and where each copy
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

const workspaces = ['.', 'packages/app', 'packages/backend'].map(p =>
  path.join(appDir, p),
);
const copies = new Map();
const brought = new Set();
for (const root of workspaces) {
  for (const found of installed(root)) {
    if (found.name.startsWith('@jit-access/')) {
      for (const dep of Object.keys(found.pkg.dependencies ?? {})) {
        if (dep.startsWith('@backstage/')) brought.add(dep);
      }
    }
    if (!found.name.startsWith('@backstage/')) continue;
    const list = copies.get(found.name) ?? [];
    list.push(found);
    copies.set(found.name, list);
  }
}

if (brought.size === 0) {
  console.log('duplicates: no @jit-access/* package is installed');
  process.exit(1);
}

const duplicated = [...brought]
  .sort()
  .map(name => ({ name, list: copies.get(name) ?? [] }))
  .filter(({ list }) => new Set(list.map(c => c.version)).size > 1);

for (const { name, list } of duplicated) {
  console.log(
    `duplicate: ${name} ${[...new Set(list.map(c => c.version))].join(', ')}`,
  );
  for (const copy of list) {
    console.log(`  ${copy.version}  ${path.relative(appDir, copy.dir)}`);
  }
}
console.log(
  `duplicates: ${duplicated.length} of the ${brought.size} @backstage/* packages the plugins depend on are installed in more than one version`,
);
process.exit(duplicated.length ? 1 : 0);
