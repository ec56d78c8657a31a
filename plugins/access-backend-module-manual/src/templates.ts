/**
 * Instruction templates: plain text with `{placeholder}`s filled from the grant. `{{` and `}}`
 * stand for literal braces.
 */
import { ProvisioningTarget } from '@jit-access/plugin-access-node';

/** The placeholders an instruction template may use. */
export const INSTRUCTION_PLACEHOLDERS = [
  'grantee',
  'resource',
  'permission',
  'start',
  'end',
  'request',
] as const;

/** One of {@link INSTRUCTION_PLACEHOLDERS}. */
export type InstructionPlaceholder = (typeof INSTRUCTION_PLACEHOLDERS)[number];

type TemplatePart = { text: string } | { placeholder: InstructionPlaceholder };

/** A template checked and split into text and placeholders, ready to fill. */
export interface CompiledTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

const KNOWN = new Set<string>(INSTRUCTION_PLACEHOLDERS);
const KNOWN_LIST = INSTRUCTION_PLACEHOLDERS.map(name => `{${name}}`).join(', ');

/**
 * Checks a template and splits it into parts, or explains what is wrong with it: unknown
 * placeholders (all of them at once), or a brace that opens or closes nothing.
 */
export function compileTemplate(
  source: string,
): CompiledTemplate | { error: string } {
  const parts: TemplatePart[] = [];
  const unknown: string[] = [];
  let text = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '{' && source[index + 1] === '{') {
      text += '{';
      index += 2;
    } else if (char === '}' && source[index + 1] === '}') {
      text += '}';
      index += 2;
    } else if (char === '{') {
      const close = source.indexOf('}', index + 1);
      const nextOpen = source.indexOf('{', index + 1);
      if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
        return {
          error: `Unclosed '{' at character ${
            index + 1
          } (write {{ for a literal brace)`,
        };
      }
      const name = source.slice(index + 1, close);
      if (KNOWN.has(name)) {
        if (text) {
          parts.push({ text });
          text = '';
        }
        parts.push({ placeholder: name as InstructionPlaceholder });
      } else if (!unknown.includes(name)) {
        unknown.push(name);
      }
      index = close + 1;
    } else if (char === '}') {
      return {
        error: `Unmatched '}' at character ${
          index + 1
        } (write }} for a literal brace)`,
      };
    } else {
      text += char;
      index += 1;
    }
  }
  if (unknown.length > 0) {
    return {
      error: `Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown
        .map(name => `{${name}}`)
        .join(', ')} (known: ${KNOWN_LIST})`,
    };
  }
  if (text) {
    parts.push({ text });
  }
  return { source, parts };
}

/** The problem with a template, or undefined when it is fine. */
export function templateError(source: string): string | undefined {
  const compiled = compileTemplate(source);
  return 'error' in compiled ? compiled.error : undefined;
}

/** An ISO-8601 timestamp in UTC as `Date#toISOString` writes it; the input as is when unparsable. */
function iso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function valueOf(
  placeholder: InstructionPlaceholder,
  target: ProvisioningTarget,
): string {
  switch (placeholder) {
    case 'grantee':
      return target.granteeRef;
    case 'resource':
      return target.resourceRef;
    case 'permission':
      return target.permission;
    case 'start':
      return iso(target.startsAt);
    case 'end':
      return iso(target.endsAt);
    case 'request':
      return target.requestId;
    default:
      // Unreachable: compileTemplate only lets known placeholders through.
      throw new Error(`Unknown placeholder {${placeholder as string}}`);
  }
}

/** The template with its placeholders filled from the grant. */
export function fillTemplate(
  template: CompiledTemplate,
  target: ProvisioningTarget,
): string {
  return template.parts
    .map(part =>
      'text' in part ? part.text : valueOf(part.placeholder, target),
    )
    .join('');
}
