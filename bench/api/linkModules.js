/*
 * Gives an extracted production bundle of the backend (yarn build:backend → skeleton.tar.gz and
 * bundle.tar.gz) its node_modules without installing again: every third-party package is a link
 * to the repository's installed one (the same lockfile), every workspace package a link to its
 * built copy in the bundle. Used by bench/api/run.sh.
 *
 *   node bench/api/linkModules.js <extracted bundle directory>
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const target = path.resolve(process.argv[2] || '');
const installed = path.join(__dirname, '..', '..', 'node_modules');
if (!fs.existsSync(path.join(target, 'package.json'))) {
  console.error(
    'usage: node bench/api/linkModules.js <extracted bundle directory>',
  );
  process.exit(2);
}

// The workspace packages the bundle holds, by name: they must resolve to their built copies.
const built = new Map();
for (const group of ['packages', 'plugins']) {
  const dir = path.join(target, group);
  if (!fs.existsSync(dir)) continue;
  for (const entry of fs.readdirSync(dir)) {
    const manifest = path.join(dir, entry, 'package.json');
    if (fs.existsSync(manifest)) {
      built.set(
        JSON.parse(fs.readFileSync(manifest, 'utf8')).name,
        path.join(dir, entry),
      );
    }
  }
}

const modules = path.join(target, 'node_modules');
fs.mkdirSync(modules, { recursive: true });
const link = (name, to) => {
  const at = path.join(modules, name);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.rmSync(at, { force: true, recursive: true });
  fs.symlinkSync(to, at);
};

let linked = 0;
for (const entry of fs.readdirSync(installed)) {
  const names = entry.startsWith('@')
    ? fs.readdirSync(path.join(installed, entry)).map(n => `${entry}/${n}`)
    : [entry];
  for (const name of names) {
    const source = path.join(installed, name);
    // Workspace packages of the repository are links to their sources: never use those.
    if (
      built.has(name) ||
      fs.realpathSync(source).indexOf(`${path.sep}node_modules${path.sep}`) ===
        -1
    ) {
      continue;
    }
    link(name, source);
    linked += 1;
  }
}
for (const [name, dir] of built) {
  link(name, dir);
}
console.log(
  `Linked ${linked} installed packages and ${built.size} built workspace packages into ${modules}`,
);
