import { TEST_ACCESS_CONFIG } from '../__testUtils__/accessBackend';
import { doc, Schema } from '../__testUtils__/openapiDocument';
import { normaliseEntityRef } from '../lib/entityRefs';
import { checkTiming } from '../requests/flowRules';
import { extensionSchema } from '../requests/submissionSchema';
import { AccessFlow } from '@jit-access/plugin-access-common';

/*
 * The document and the server agree on which inputs are valid: the patterns of openapi.yaml
 * accept exactly what the server's own parsers accept. Whole requests are held to the document
 * in openapiInputs.test.ts.
 */

const schemas = doc.components.schemas as Record<string, Schema>;
const patternOf = (schema: Schema) => new RegExp(schema.pattern, 'u');
const ownerParameter = (
  doc.paths['/resources'].get.parameters as Schema[]
).find(p => p.name === 'owner')!;

/** A seeded generator, so that every run checks the same strings. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]) => items[below(items.length)];
  const text = (alphabet: string, min: number, max: number) =>
    Array.from({ length: min + below(max - min + 1) }, () =>
      pick(alphabet.split('')),
    ).join('');
  return { below, pick, text };
}

/** The strings on which the document's pattern and the server disagree, at most `limit`. */
function disagreements(
  candidates: Iterable<string>,
  pattern: RegExp,
  serverAccepts: (value: string) => boolean,
  limit = 10,
) {
  const found: Array<{ value: string; document: boolean; server: boolean }> =
    [];
  for (const value of candidates) {
    const document = pattern.test(value);
    const server = serverAccepts(value);
    if (document !== server && found.length < limit) {
      found.push({ value, document, server });
    }
  }
  return found;
}

const accepts = (parse: () => unknown) => {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
};

function* entityRefCandidates(seed: number) {
  const r = random(seed);
  const part = () =>
    r.pick([
      () => r.text('abcXYZ019-_.', 1, 8),
      () => r.text('a', 62, 65),
      () => r.text('a-', 1, 5),
      () => r.text('aA0 ', 1, 4),
      () => '',
    ])();
  for (let i = 0; i < 20_000; i++) {
    yield r.below(4) === 0
      ? r.text('aZ09-_.:/ \u0130', 1, 12)
      : `${
          r.below(2) ? `${r.pick(['', 'user', 'User', 'group', part()])}:` : ''
        }${r.below(2) ? `${part()}/` : ''}${part()}`;
  }
  yield* ['user:default/dana', 'USER:dana', 'Dana', 'a', '0', 'a:b:c/d', '/'];
}

function* durationCandidates(seed: number) {
  const r = random(seed);
  const number = () =>
    `${r.below(12) === 0 ? '-' : ''}${r.pick([
      '0',
      '00',
      String(r.below(1000)),
      '1'.repeat(21),
    ])}${
      r.below(4) === 0
        ? `${r.pick(['.', ','])}${r.pick(['0', '0001', '001', '5', ''])}`
        : ''
    }`;
  for (let i = 0; i < 20_000; i++) {
    let value = `${r.below(15) === 0 ? '-' : ''}${r.below(30) ? 'P' : 'p'}`;
    for (const unit of 'YMWD') {
      value += r.below(4) === 0 ? `${number()}${unit}` : '';
    }
    if (r.below(2)) {
      value += 'T';
      for (const unit of 'HMS') {
        value += r.below(2) === 0 ? `${number()}${unit}` : '';
      }
    }
    yield value;
  }
  yield* ['P', 'PT', 'PT1H', 'PT0S', 'PT0.0001S', 'PT0.001S', '1 hour', ''];
}

function* dateTimeCandidates(seed: number) {
  const r = random(seed);
  const two = (max: number) => String(r.below(max)).padStart(2, '0');
  for (let i = 0; i < 20_000; i++) {
    const year = r.pick(['2030', '2032', '2100', '2000', '0000', '1999']);
    let value = `${year}-${two(14)}-${two(33)}${r.pick(['T', 't', ' '])}${two(
      26,
    )}:${two(62)}`;
    value += r.below(2) ? `:${two(62)}` : '';
    value += r.below(3) === 0 ? `.${r.text('0123456789', 1, 9)}` : '';
    value += r.pick([
      'Z',
      'z',
      '',
      `+${two(26)}:${two(62)}`,
      `-${two(26)}${two(62)}`,
      `+${two(26)}`,
    ]);
    yield value;
  }
}

/** The flow's duration check, on a flow that offers one hour: refused only when not a duration. */
const FLOW = TEST_ACCESS_CONFIG.flows[0] as unknown as AccessFlow;
function serverTakesDuration(duration: string): boolean {
  if (duration.length < 1 || duration.length > 64) {
    return false; // the zod schema's lengths
  }
  try {
    checkTiming(
      { ...FLOW, durations: ['PT1H'], maxDuration: 'P1D' } as AccessFlow,
      { items: [], duration },
      new Date(),
    );
    return true;
  } catch (error) {
    return !/is not an ISO-8601 duration/.test((error as Error).message);
  }
}

describe('openapi.yaml input patterns', () => {
  it('EntityRefInput accepts exactly the refs the server normalises', () => {
    expect(
      disagreements(
        entityRefCandidates(1),
        patternOf(schemas.EntityRefInput),
        ref =>
          accepts(() =>
            normaliseEntityRef(ref, { defaultKind: 'resource', field: 'x' }),
          ),
      ),
    ).toEqual([]);
  });

  it('UserRefInput accepts exactly the user refs the server takes as a grantee', () => {
    expect(
      disagreements(
        entityRefCandidates(2),
        patternOf(schemas.UserRefInput),
        ref =>
          accepts(() =>
            normaliseEntityRef(ref, {
              defaultKind: 'user',
              field: 'granteeRef',
              kinds: ['user'],
            }),
          ),
      ),
    ).toEqual([]);
  });

  it('the owner filter of /resources accepts exactly the owners the server takes (empty for any)', () => {
    expect(
      disagreements(
        entityRefCandidates(3),
        patternOf(ownerParameter.schema),
        ref =>
          ref === '' ||
          accepts(() =>
            normaliseEntityRef(ref, { defaultKind: 'group', field: 'owner' }),
          ),
      ),
    ).toEqual([]);
  });

  it('DurationInput accepts exactly the unsigned durations the server takes', () => {
    const pattern = patternOf(schemas.DurationInput);
    const found = disagreements(
      durationCandidates(4),
      pattern,
      serverTakesDuration,
      1_000_000,
    );
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('DateTimeInput accepts exactly the date-times the server takes', () => {
    expect(
      disagreements(
        dateTimeCandidates(5),
        patternOf(schemas.DateTimeInput),
        endAt => extensionSchema.safeParse({ endAt }).success,
      ),
    ).toEqual([]);
  });
});
