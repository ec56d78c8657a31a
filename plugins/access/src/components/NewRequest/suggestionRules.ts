import { AccessSuggestion } from '@jit-access/plugin-access-common';
import { Selection, uniqueItems } from './selection';

/** Tells suggestions apart: the same resource may be suggested with two permissions. */
export function suggestionKey(s: AccessSuggestion): string {
  return s.kind === 'bundle'
    ? `bundle|${s.bundleId}`
    : `resource|${s.resourceRef}|${s.permission ?? ''}`;
}

/** What is chosen when the suggestions arrive: the best one (they come best first). */
export function chosenByDefault(
  suggestions: AccessSuggestion[],
): AccessSuggestion[] {
  return suggestions.slice(0, 1);
}

/**
 * The chosen keys after ticking or unticking `s`. A submission is either resources or one
 * bundle: choosing a bundle leaves it alone, choosing a resource drops a chosen bundle.
 */
export function toggleSuggestion(
  suggestions: AccessSuggestion[],
  chosen: string[],
  s: AccessSuggestion,
): string[] {
  const key = suggestionKey(s);
  if (chosen.includes(key)) return chosen.filter(k => k !== key);
  if (s.kind === 'bundle') return [key];
  const resources = suggestions
    .filter(c => c.kind === 'resource')
    .map(suggestionKey);
  return [...chosen.filter(k => resources.includes(k)), key];
}

/** The items of chosen resource suggestions, each with its suggested permission. */
export function selectionOf(chosen: AccessSuggestion[]): Selection {
  return {
    items: uniqueItems(
      chosen.flatMap(s =>
        s.kind === 'resource' && s.resourceRef && s.permission
          ? [{ resourceRef: s.resourceRef, permission: s.permission }]
          : [],
      ),
    ),
  };
}
