import { AccessSuggestion } from '@jit-access/plugin-access-common';
import {
  chosenByDefault,
  selectionOf,
  suggestionKey,
  toggleSuggestion,
} from './suggestionRules';

const resource = (ref: string, permission: string): AccessSuggestion => ({
  kind: 'resource',
  resourceRef: ref,
  title: ref,
  permission,
  requiresApproval: true,
  score: 1,
  reasons: [],
});
const bundle: AccessSuggestion = {
  kind: 'bundle',
  bundleId: 'oncall',
  title: 'On-call',
  requiresApproval: true,
  score: 1,
  reasons: [],
};
const dbRead = resource('db', 'read');
const dbWrite = resource('db', 'write');
const all = [dbRead, dbWrite, bundle];

describe('suggestion rules', () => {
  it('tells the same resource with two permissions apart', () => {
    expect(suggestionKey(dbRead)).not.toBe(suggestionKey(dbWrite));
    expect(suggestionKey(bundle)).toBe('bundle|oncall');
  });

  it('chooses the best suggestion by default, none when there are none', () => {
    expect(chosenByDefault(all)).toEqual([dbRead]);
    expect(chosenByDefault([])).toEqual([]);
  });

  it('adds resources together; a bundle stands alone', () => {
    const both = toggleSuggestion(all, [suggestionKey(dbRead)], dbWrite);
    expect(both).toEqual([suggestionKey(dbRead), suggestionKey(dbWrite)]);
    expect(toggleSuggestion(all, both, bundle)).toEqual(['bundle|oncall']);
    expect(toggleSuggestion(all, ['bundle|oncall'], dbRead)).toEqual([
      suggestionKey(dbRead),
    ]);
    expect(toggleSuggestion(all, both, dbRead)).toEqual([
      suggestionKey(dbWrite),
    ]);
  });

  it('selects each chosen resource with its suggested permission, once', () => {
    expect(selectionOf([dbRead, dbWrite, dbRead, bundle])).toEqual({
      items: [
        { resourceRef: 'db', permission: 'read' },
        { resourceRef: 'db', permission: 'write' },
      ],
    });
  });
});
