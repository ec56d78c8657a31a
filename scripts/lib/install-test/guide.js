// Follows docs/install.md in a new app: every block the guide marks with
// `<!-- install-test:NAME -->` is taken from the guide as written and applied where the guide
// says, so the guide and the install test cannot drift apart.
//   node guide.js commands <step>            print the guide's shell command of a step
//   node guide.js apply <app dir> <new|legacy>  the code, config and catalog edits of steps 2-5
// The browser test (e2e/install.js) applies step 6's config itself, while the app runs.
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const guideFile = path.join(repoRoot, 'docs', 'install.md');

/** The fenced block after each `<!-- install-test:NAME -->`, by NAME. */
function readBlocks() {
  const text = fs.readFileSync(guideFile, 'utf8');
  const blocks = {};
  const pattern =
    /<!-- install-test:([a-z-]+) -->\s*\n\s*```[a-z]*\n([\s\S]*?)\n\s*```/g;
  for (const match of text.matchAll(pattern)) {
    // Blocks inside list items are indented: take the indentation off.
    const lines = match[2].split('\n');
    const indent = Math.min(
      ...lines.filter(l => l.trim()).map(l => l.match(/^ */)[0].length),
    );
    blocks[match[1]] = lines.map(l => l.slice(indent)).join('\n');
  }
  return blocks;
}

function block(blocks, name) {
  if (!(name in blocks)) {
    throw new Error(`docs/install.md has no block marked install-test:${name}`);
  }
  return blocks[name];
}

function edit(file, change) {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`nothing changed in ${file}`);
  fs.writeFileSync(file, after);
  console.log(`edited ${file}`);
}

function insertBefore(text, marker, insertion, file) {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file}: '${marker.trim()}' not found`);
  return text.slice(0, at) + insertion + text.slice(at);
}

/** After the last top-level import (a new line after the statement's end). */
function addImport(text, statement) {
  const imports = [...text.matchAll(/^import [\s\S]*?;\n/gm)];
  const last = imports[imports.length - 1];
  const at = last ? last.index + last[0].length : 0;
  return `${text.slice(0, at)}${statement}\n${text.slice(at)}`;
}

function indent(text, spaces) {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map(l => (l ? pad + l : l))
    .join('\n');
}

/** Merges `source` into the YAML node `target`: maps key by key, lists of maps by `id`. */
function merge(doc, target, source) {
  for (const [key, value] of Object.entries(source)) {
    const existing = target.get(key, true);
    if (YAML.isMap(existing) && isPlainObject(value)) {
      merge(doc, existing, value);
    } else if (
      YAML.isSeq(existing) &&
      Array.isArray(value) &&
      value.every(v => isPlainObject(v) && v.id)
    ) {
      for (const item of value) {
        const match = existing.items.find(
          node => YAML.isMap(node) && node.get('id') === item.id,
        );
        if (match) merge(doc, match, item);
        else existing.items.push(doc.createNode(item));
      }
    } else {
      target.set(key, doc.createNode(value));
    }
  }
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeConfig(appDir, fragments) {
  const file = path.join(appDir, 'app-config.yaml');
  edit(file, text => {
    const doc = YAML.parseDocument(text);
    for (const fragment of fragments) {
      const value = YAML.parse(fragment);
      if (!YAML.isMap(doc.contents)) doc.contents = doc.createNode({});
      merge(doc, doc.contents, value);
    }
    return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  });
}

function apply(appDir, kind) {
  const blocks = readBlocks();

  // 2 and 3: the backend's plugins, and the policy instead of allow-all.
  const backendIndex = path.join(appDir, 'packages/backend/src/index.ts');
  edit(backendIndex, text => {
    let next = insertBefore(
      text,
      'backend.start();',
      `${block(blocks, 'backend-index')}\n\n`,
      backendIndex,
    );
    const allowAll =
      /backend\.add\(\s*import\(\s*'@backstage\/plugin-permission-backend-module-allow-all-policy'\s*,?\s*\)\s*,?\s*\);/;
    if (!allowAll.test(next)) {
      throw new Error(
        `${backendIndex}: the allow-all policy line is not there`,
      );
    }
    next = next.replace(allowAll, block(blocks, 'backend-policy'));
    return next;
  });

  // 3 and 5: configuration.
  mergeConfig(appDir, [
    block(blocks, 'config-permission'),
    block(blocks, 'config-access'),
  ]);

  // 5: the requestable entity.
  const entities = path.join(appDir, 'examples/entities.yaml');
  edit(
    entities,
    text => `${text.replace(/\n*$/, '\n')}${block(blocks, 'catalog-entity')}\n`,
  );

  if (kind !== 'legacy') return;

  // 4, old frontend system: the route, the sidebar item, the entity card.
  const appTsx = path.join(appDir, 'packages/app/src/App.tsx');
  edit(appTsx, text =>
    insertBefore(
      addImport(text, block(blocks, 'legacy-app-import')),
      '  </FlatRoutes>',
      `${indent(block(blocks, 'legacy-app-route'), 4)}\n`,
      appTsx,
    ),
  );
  const rootTsx = path.join(
    appDir,
    'packages/app/src/components/Root/Root.tsx',
  );
  edit(rootTsx, text => {
    const next = addImport(text, block(blocks, 'legacy-root-import'));
    const items = [...next.matchAll(/^( *)<SidebarItem [^\n]*\/>\n/gm)];
    if (!items.length) throw new Error(`${rootTsx}: no SidebarItem`);
    const last = items[items.length - 1];
    const at = last.index + last[0].length;
    return `${next.slice(0, at)}${indent(
      block(blocks, 'legacy-root-item'),
      last[1].length,
    )}\n${next.slice(at)}`;
  });
  const entityPage = path.join(
    appDir,
    'packages/app/src/components/catalog/EntityPage.tsx',
  );
  edit(entityPage, text => {
    const next = addImport(text, block(blocks, 'legacy-entity-import'));
    const start = next.indexOf('const overviewContent = (');
    if (start < 0) throw new Error(`${entityPage}: no overviewContent`);
    const end = next.indexOf('\n  </Grid>\n);', start);
    if (end < 0)
      throw new Error(`${entityPage}: overviewContent's end not found`);
    return `${next.slice(0, end)}\n${indent(
      block(blocks, 'legacy-entity-card'),
      4,
    )}${next.slice(end)}`;
  });
}

module.exports = { readBlocks, block, mergeConfig };

function main([command, ...args]) {
  if (command === 'commands') {
    process.stdout.write(`${block(readBlocks(), args[0])}\n`);
  } else if (command === 'apply') {
    apply(args[0], args[1]);
  } else {
    console.error(
      'usage: guide.js commands <step> | apply <app dir> <new|legacy>',
    );
    process.exit(2);
  }
}

if (require.main === module) main(process.argv.slice(2));
