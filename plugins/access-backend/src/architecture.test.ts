/*
 * The backend's shape, checked: which folder may import which (docs/architecture.md), Knex only
 * in the persistence layer, and files a reader can take in.
 */
import fs from 'node:fs';
import path from 'node:path';
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
    return [
      {
        file,
        folder: file.includes('/') ? file.split('/')[0] : '.',
        lines: text.split('\n').length,
        imports: ts
          .preProcessFile(text, true, true)
          .importedFiles.map(imported => imported.fileName),
      },
    ];
  });
}

/** The folder of src an import lands in, or undefined for a package. */
function folderOf(from: SourceFile, specifier: string): string | undefined {
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
    const outside = files
      .filter(file => file.folder !== 'database')
      .filter(file => file.imports.includes('knex'))
      .map(file => file.file);
    expect(outside).toEqual([]);
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
