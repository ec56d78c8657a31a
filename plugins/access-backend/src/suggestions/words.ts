/**
 * Words of a need and of what can be requested, made comparable: lower case, common words left
 * out, and simple suffixes taken off ("payments" and "payment", "failed" and "fail" meet). No
 * synonyms: "db" does not meet "database".
 */

const STOP_WORDS = new Set(
  (
    'a access an and any are as at be by can could do for from get ' +
    'give i in into is it me my need needs of on or our please so ' +
    'some that the this to us want we with'
  ).split(' '),
);

const VOWELS = /[aeiouy]/;

/** A word without its simplest English suffixes. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) {
    w = `${w.slice(0, -3)}y`;
  } else if (w.length > 5 && w.endsWith('ing')) {
    w = w.slice(0, -3);
  } else if (w.length > 4 && w.endsWith('ed')) {
    w = w.slice(0, -2);
  } else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) {
    w = w.slice(0, -1);
  }
  // "debugging" → "debugg" → "debug"; "access" and "accessed" alike.
  const last = w[w.length - 1];
  if (w.length > 3 && last === w[w.length - 2] && !VOWELS.test(last)) {
    w = w.slice(0, -1);
  }
  // "share" and "shared", "database" and "databases" meet.
  if (w.length > 4 && w.endsWith('e')) {
    w = w.slice(0, -1);
  }
  return w;
}

/** A word of a text: its stem, and the word as written (for explaining a match). */
export interface Word {
  stem: string;
  text: string;
}

/** The words of a text that carry meaning, each once, in order. */
export function wordsOf(text: string): Word[] {
  const seen = new Set<string>();
  const words: Word[] = [];
  for (const raw of text.toLocaleLowerCase('en-US').split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || STOP_WORDS.has(raw)) {
      continue;
    }
    const stemmed = stem(raw);
    if (!seen.has(stemmed)) {
      seen.add(stemmed);
      words.push({ stem: stemmed, text: raw });
    }
  }
  return words;
}

/**
 * How well a word of the need meets a word of a field: 1 for the same stem, 0.5 when one starts
 * the other and both are long enough to mean it ("postgres", "postgresql"), else 0.
 */
export function closeness(need: string, field: string): number {
  if (need === field) {
    return 1;
  }
  const [shorter, longer] =
    need.length <= field.length ? [need, field] : [field, need];
  return shorter.length >= 4 && longer.startsWith(shorter) ? 0.5 : 0;
}
