/*
 * Every word the components show goes through the translation ref (src/translation.ts): this
 * reads the components' source and fails on literal text where people read it.
 */
import fs from 'node:fs';
import path from 'node:path';
// The root's compiler, which the repository's type check runs with.
import ts from 'typescript';

const COMPONENTS = __dirname;

/** Literal text allowed where people read it: punctuation, never words. */
const ALLOWED = new Set(['·', '—', '…', '(', ')', ':', ';', ',']);

/** Props and object keys whose value people read or hear. */
const TEXT_PROPS = new Set([
  'aria-label',
  'caption',
  'confirmLabel',
  'description',
  'emptyDescription',
  'emptyTitle',
  'helperText',
  'label',
  'message',
  'placeholder',
  'primary',
  'secondary',
  'subheader',
  'subtitle',
  'title',
  'titleAccess',
  'what',
]);

interface Finding {
  file: string;
  line: number;
  text: string;
}

function componentFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return componentFiles(full);
    return /\.tsx$/.test(entry.name) && !/\.test\.tsx$/.test(entry.name)
      ? [full]
      : [];
  });
}

function nameOf(name: ts.PropertyName | ts.JsxAttributeName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText();
}

/** Literal text in source: JSX text and string literals in what renders or is read out. */
function findUntranslated(fileName: string, source: string): Finding[] {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string) => {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (trimmed && !ALLOWED.has(trimmed)) {
      findings.push({
        file: path.relative(COMPONENTS, fileName),
        line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        text: trimmed,
      });
    }
  };

  /** The strings an expression can evaluate to, as far as literals go; calls are not followed. */
  const rendered = (expr: ts.Expression | undefined): void => {
    if (!expr) return;
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
      report(expr, expr.text);
    } else if (ts.isTemplateExpression(expr)) {
      report(expr.head, expr.head.text);
      for (const span of expr.templateSpans) {
        rendered(span.expression);
        report(span.literal, span.literal.text);
      }
    } else if (ts.isParenthesizedExpression(expr)) {
      rendered(expr.expression);
    } else if (ts.isConditionalExpression(expr)) {
      rendered(expr.whenTrue);
      rendered(expr.whenFalse);
    } else if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        rendered(expr.right);
      } else if (
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.PlusToken
      ) {
        rendered(expr.left);
        rendered(expr.right);
      }
    }
  };

  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      report(node, node.text);
    } else if (ts.isJsxExpression(node) && !ts.isJsxAttribute(node.parent)) {
      rendered(node.expression);
    } else if (ts.isJsxAttribute(node) && TEXT_PROPS.has(nameOf(node.name))) {
      const init = node.initializer;
      if (init && ts.isStringLiteral(init)) report(init, init.text);
      if (init && ts.isJsxExpression(init)) rendered(init.expression);
    } else if (
      ts.isPropertyAssignment(node) &&
      TEXT_PROPS.has(nameOf(node.name))
    ) {
      rendered(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

describe('translatable components', () => {
  it('finds the literal text it looks for', () => {
    const sample = `
      export const A = (p: any) => (
        <div title="Hello" aria-label={p.x ? 'Yes' : t('a.b')}>
          Plain words {p.n === 1 ? '' : 'more'} · {t('c.d')}
          <Button inputProps={{ 'aria-label': \`Pick \${p.name}\` }} />
          {' '}—{p.ready && 'Ready'}
        </div>
      );
      const options = { label: 'Label', other: 'not shown' };
    `;
    expect(
      findUntranslated(path.join(COMPONENTS, 'Sample.tsx'), sample).map(
        f => f.text,
      ),
    ).toEqual([
      'Hello',
      'Yes',
      'Plain words',
      'more',
      'Pick',
      'Ready',
      'Label',
    ]);
  });

  it('shows no literal text: every string goes through the translation ref', () => {
    const files = componentFiles(COMPONENTS);
    expect(files.length).toBeGreaterThan(40);
    const findings = files.flatMap(file =>
      findUntranslated(file, fs.readFileSync(file, 'utf8')),
    );
    expect(
      findings.map(f => `${f.file}:${f.line}: ${JSON.stringify(f.text)}`),
    ).toEqual([]);
  });
});
