/*
 * The backend's shape, checked: which folder may import which (docs/architecture.md), Knex only
 * in the persistence layer, and files a reader can take in.
 */
import fs from 'node:fs';
import path from 'node:path';
// The root's compiler, which the repository's type check runs with.
import ts from 'typescript';

const SRC = __dirname;

/**
 * The folders of src, lowest first: a folder imports only from folders before it in this list.
 * Files directly in src (plugin.ts, index.ts, policy.ts) may import anything.
 */
const LAYERS: readonly string[][] = [
  ['lib'],
  ['database'],
  ['resources'],
  ['config', 'events', 'flows', 'audit', 'notify'],
  ['permissions', 'provisioning', 'jobs'],
  ['engine'],
  ['requests'],
  [
    'credentials',
    'fulfilment',
    'reconcile',
    'favorites',
    'justification',
    'suggestions',
    'callers',
    'chat',
  ],
  ['actions'],
  ['service'],
];

const MAX_LINES = 400;

interface SourceFile {
  /** Relative to src, with forward slashes. */
  file: string;
  folder: string;
  lines: number;
  imports: string[];
  /** Names this file takes from the persistence layer's modules. */
  fromDatabase: string[];
  /** snake_case identifiers (property names, keys, variables) the file uses. */
  snakeCase: string[];
}

function sourceFiles(dir = SRC): SourceFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__testUtils__' ? [] : sourceFiles(full);
    }
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) {
      return [];
    }
    const text = fs.readFileSync(full, 'utf8');
    const file = path.relative(SRC, full).split(path.sep).join('/');
    const folder = file.includes('/') ? file.split('/')[0] : '.';
    return [
      {
        file,
        folder,
        lines: text.split('\n').length,
        imports: ts
          .preProcessFile(text, true, true)
          .importedFiles.map(imported => imported.fileName),
        ...namesOf(file, text),
      },
    ];
  });
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
/** snake_case names that are a library's, not a column: zod's issue codes and options. */
const LIBRARY_NAMES = new Set(['unrecognized_keys', 'invalid_type_error']);

/** What a file imports by name from database/, and the snake_case identifiers it uses. */
function namesOf(file: string, text: string) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  const fromDatabase: string[] = [];
  const snakeCase = new Set<string>();
  const visit = (node: ts.Node) => {
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      folderOf({ file }, node.moduleSpecifier.text) === 'database'
    ) {
      const named = node.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        fromDatabase.push(
          ...named.elements.map(e => (e.propertyName ?? e.name).text),
        );
      }
    }
    if (
      ts.isIdentifier(node) &&
      SNAKE_CASE.test(node.text) &&
      !LIBRARY_NAMES.has(node.text)
    ) {
      snakeCase.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { fromDatabase, snakeCase: [...snakeCase] };
}

/** The folder of src an import lands in, or undefined for a package. */
function folderOf(
  from: Pick<SourceFile, 'file'>,
  specifier: string,
): string | undefined {
  if (!specifier.startsWith('.')) {
    return undefined;
  }
  const target = path.posix.normalize(
    path.posix.join(path.posix.dirname(from.file), specifier),
  );
  return target.includes('/') ? target.split('/')[0] : '.';
}

const layerOf = (folder: string) =>
  LAYERS.findIndex(layer => layer.includes(folder));

describe('the backend’s shape', () => {
  const files = sourceFiles();

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('places every folder in a layer', () => {
    const folders = [...new Set(files.map(f => f.folder))].filter(
      folder => folder !== '.',
    );
    expect(folders.filter(folder => layerOf(folder) < 0)).toEqual([]);
  });

  it('imports only downwards: no folder imports one above it or beside it', () => {
    const upward = files.flatMap(file =>
      file.folder === '.'
        ? []
        : file.imports.flatMap(specifier => {
            const target = folderOf(file, specifier);
            if (!target || target === file.folder) {
              return [];
            }
            return target === '.' || layerOf(target) >= layerOf(file.folder)
              ? [`${file.file} imports ${specifier}`]
              : [];
          }),
    );
    expect(upward).toEqual([]);
  });

  it('imports Knex only in the persistence layer', () => {
    // The persistence layer does (the imports are read correctly).
    expect(
      files.some(
        file => file.folder === 'database' && file.imports.includes('knex'),
      ),
    ).toBe(true);
    const outside = files
      .filter(file => file.folder !== 'database')
      .filter(file => file.imports.includes('knex'))
      .map(file => file.file);
    expect(outside).toEqual([]);
  });

  it('keeps rows in the persistence layer: no row type and no snake_case column outside it', () => {
    const outside = files.filter(file => file.folder !== 'database');
    const rowTypes = outside.flatMap(file =>
      file.fromDatabase
        .filter(name => /Rows?$/.test(name))
        .map(name => `${file.file} imports ${name}`),
    );
    const columns = outside.flatMap(file =>
      file.snakeCase.map(name => `${file.file} uses ${name}`),
    );
    expect([...rowTypes, ...columns]).toEqual([]);
  });

  it(`keeps every source file within ${MAX_LINES} lines, the modules' too`, () => {
    const plugins = path.resolve(SRC, '../..');
    const modules = fs
      .readdirSync(plugins)
      .filter(name => name.startsWith('access-backend-module-'))
      .map(name => path.join(plugins, name, 'src'));
    expect(modules.length).toBeGreaterThan(0);
    const long = [...files, ...modules.flatMap(dir => sourceFiles(dir))]
      .filter(file => file.lines > MAX_LINES)
      .map(file => `${file.file}: ${file.lines} lines`);
    expect(long).toEqual([]);
  });
});
