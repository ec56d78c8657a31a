// Adds to a new app's root package.json what stands in for the registry and for this kind of
// machine, nothing else:
// - every @jit-access/* package resolves to the tarball packed from this repository (as if it
//   had been published);
// - the root `resolutions` that work around gaps of the registry mirror, the same as this
//   repository's own (see its root package.json): newest versions whose platform binaries are all
//   there, and a @yarnpkg/core without a broken `patch:` dependency;
// - what a new app needs because create-app could not fetch its yarn.lock seed file (without
//   it, the app resolves the newest versions of everything, and some do not work together):
//   each pin is explained below.
//   usage: node resolutions.js <app dir> <tarball dir>
const fs = require('fs');
const path = require('path');

const [appDir, tarballDir] = process.argv.slice(2);
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const repoPkg = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
);
const pkgFile = path.join(appDir, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));

const resolutions = { ...(pkg.resolutions ?? {}) };
// The mirror's gaps: the same pins as this repository.
for (const name of ['@swc/core', 'rollup', 'unrs-resolver', '@yarnpkg/core']) {
  if (repoPkg.resolutions?.[name])
    resolutions[name] = repoPkg.resolutions[name];
}
// Without the seed lock file the newest signals backend calls
// httpRouter.addWebSocketHandler, which the backend-defaults the template asks for lack.
resolutions['@backstage/plugin-signals-backend'] =
  process.env.INSTALL_TEST_SIGNALS_BACKEND ?? '0.3.19';

for (const file of fs.readdirSync(tarballDir)) {
  const match = /^(@jit-access)-(.+)-(\d+\.\d+\.\d+.*)\.tgz$/.exec(file);
  if (!match) continue;
  resolutions[`${match[1]}/${match[2]}`] = `file:${path.resolve(
    tarballDir,
    file,
  )}`;
}
pkg.resolutions = resolutions;
pkg.dependenciesMeta = {
  ...(pkg.dependenciesMeta ?? {}),
  // Optional native builds this repository skips too (see its root package.json).
  ...(repoPkg.dependenciesMeta ?? {}),
  // The API docs' swagger-ui pulls in the native tree-sitter parsers, which compile from source
  // for minutes on a small machine; the app never loads them (the browser parses with
  // web-tree-sitter), so the test skips their build. Not needed for the plugins.
  'tree-sitter': { built: false },
  'tree-sitter-json': { built: false },
  '@tree-sitter-grammars/tree-sitter-yaml': { built: false },
};
fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(
  `resolutions: ${Object.entries(resolutions)
    .map(([k, v]) => `${k} -> ${v.replace(/^file:.*\//, 'file:')}`)
    .join(', ')}`,
);
