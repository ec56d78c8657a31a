// Finds the @backstage/* packages that the @jit-access/* packages load in another version than
// the app does (two versions of, say, @backstage/plugin-catalog-react split React contexts and
// API refs at run time, and double the bundle), and tells apart who brings the other version:
// - the plugins, when no package of the app but ours loads that version: our packages added it,
//   and the check fails;
// - the app itself, when some package of the app that is not ours loads the same version as the
//   plugins (it would be installed without our packages): a new app made by create-app can hold
//   two releases of a package before anything is added to it (its template names one release
//   for its own packages and lets the plugins it installs take their newest). Reported, not a
//   failure. (Yarn's node_modules linker may install one version in several folders, one per
//   dependent that cannot share the hoisted one; versions, as `yarn why` lists them, are
//   compared, not folders.)
// Exits 1 when the plugins bring a version of their own.
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

/** Where each dependency of the package in `dir` resolves to (Node's lookup), ours left out. */
function dependencyDirs(dir, pkg) {
  const names = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  return [...names]
    .filter(name => !name.startsWith('@jit-access/'))
    .map(name => resolveFrom(dir, name)?.dir)
    .filter(Boolean);
}

/**
 * Every installed folder that the app loads without our packages (what the workspaces depend
 * on, ours left out, and what those depend on, and so on), with a package that loads it.
 */
function loadedWithoutPlugins() {
  const loadedBy = new Map();
  const queue = [];
  for (const root of workspaces) {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
    );
    const all = {
      dependencies: { ...pkg.devDependencies, ...pkg.dependencies },
    };
    const name = path.relative(appDir, root) || 'the root package.json';
    queue.push(...dependencyDirs(root, all).map(dir => ({ dir, by: name })));
  }
  while (queue.length) {
    const { dir: found, by } = queue.pop();
    const dir = fs.realpathSync(found);
    if (loadedBy.has(dir)) continue;
    loadedBy.set(dir, by);
    let pkg;
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const name = `${pkg.name} ${pkg.version}`;
    queue.push(...dependencyDirs(dir, pkg).map(d => ({ dir: d, by: name })));
  }
  return loadedBy;
}

const plugins = [];
for (const root of workspaces) {
  for (const found of installed(root)) {
    if (found.name.startsWith('@jit-access/')) plugins.push(found);
  }
}

if (plugins.length === 0) {
  console.log('duplicates: no @jit-access/* package is installed');
  process.exit(1);
}

/** Per package name, each version the app loads without ours, with a package that loads it. */
const appsOwn = new Map();
for (const [dir, by] of loadedWithoutPlugins()) {
  let pkg;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  const versions = appsOwn.get(pkg.name) ?? new Map();
  if (!versions.has(pkg.version)) versions.set(pkg.version, by);
  appsOwn.set(pkg.name, versions);
}

// Each @backstage/* dependency of our packages, in the version it loads, against the versions the
// app loads without our packages: one of them (fine), not one of them (the plugins bring their
// own: a failure), or one of two or more (the app's own split: reported).
const problems = new Map();
let checked = 0;
for (const plugin of plugins) {
  for (const dep of Object.keys(plugin.pkg.dependencies ?? {})) {
    if (!dep.startsWith('@backstage/')) continue;
    checked += 1;
    const ours = resolveFrom(plugin.dir, dep);
    const theirs = appsOwn.get(dep);
    if (!ours || !theirs || (theirs.size === 1 && theirs.has(ours.version))) {
      continue;
    }
    const problem = problems.get(dep) ?? {
      dep,
      lines: new Set(),
      ours: false,
      theirs,
    };
    const alsoBy = theirs.get(ours.version);
    if (!alsoBy) problem.ours = true;
    problem.lines.add(
      `${plugin.name} loads ${ours.version} (${path.relative(
        appDir,
        ours.dir,
      )})${alsoBy ? `, as ${alsoBy} does` : ''}`,
    );
    problems.set(dep, problem);
  }
}

const sorted = [...problems.values()].sort((a, b) =>
  a.dep.localeCompare(b.dep),
);
for (const { dep, lines, ours, theirs } of sorted) {
  console.log(
    `${
      ours ? 'duplicate' : "the app's own"
    }: ${dep}: the app without our packages loads ${[...theirs]
      .map(([version, by]) => `${version} (loaded by ${by}, among others)`)
      .join(' and ')}`,
  );
  for (const line of lines) console.log(`  ${line}`);
}
const caused = sorted.filter(p => p.ours).length;
console.log(
  `duplicates: ${caused} @backstage/* packages the plugins bring in a version of their own, ${
    sorted.length - caused
  } already in two versions in the app without them (${checked} dependencies of ${
    plugins.length
  } @jit-access/* packages checked)`,
);
process.exit(caused ? 1 : 0);
