import { useApi } from '@backstage/core-plugin-api';
import { AccessSuggestion } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useState } from 'react';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';
import { formatIsoDuration } from '../shared/format';
import { Selection } from './selection';
import {
  chosenByDefault,
  selectionOf,
  suggestionKey,
  toggleSuggestion,
} from './suggestionRules';

/** The longest need the backend reads. */
const MAX_NEED_LENGTH = 500;
const SUGGESTIONS = 5;

function describe(s: AccessSuggestion): string {
  const what = s.kind === 'bundle' ? 'Bundle' : s.permission ?? '';
  const flow = s.flowTitle ? ` · ${s.flowTitle}` : '';
  const duration = s.duration ? ` · ${formatIsoDuration(s.duration)}` : '';
  const approval = s.requiresApproval ? 'needs approval' : 'granted at once';
  return `${what}${flow}${duration} · ${approval}`;
}

/**
 * "Describe what you need": the need in words, the backend's suggestions with why each was
 * suggested, the best ones chosen already. `onSelect` receives what the chosen suggestions select
 * (resources with their permission, or one whole bundle) and which tab shows it.
 */
export function DescribeNeed(props: {
  onSelect(selection: Selection, mode: 'resource' | 'bundle'): void;
}) {
  const api = useApi(accessApiRef);
  const [need, setNeed] = useState('');
  const [suggestions, setSuggestions] = useState<AccessSuggestion[]>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const apply = async (list: AccessSuggestion[], keys: string[]) => {
    setChosen(keys);
    const picked = list.filter(s => keys.includes(suggestionKey(s)));
    if (!picked.length) return;
    const bundle = picked.find(s => s.kind === 'bundle');
    if (bundle?.bundleId) {
      // A bundle's items come from its definition, as on the "By bundle" tab.
      const page = await api.listBundles({ limit: 500 });
      const found = page.items.find(b => b.id === bundle.bundleId);
      if (found) {
        props.onSelect(
          {
            items: found.items,
            bundle: { id: found.id, title: found.title, whole: true },
          },
          'bundle',
        );
      }
      return;
    }
    props.onSelect(selectionOf(picked), 'resource');
  };

  const suggest = async (event: FormEvent) => {
    event.preventDefault();
    const q = need.trim();
    if (!q) return;
    setBusy(true);
    setError(undefined);
    try {
      const { items } = await api.suggestAccess({ q, limit: SUGGESTIONS });
      setSuggestions(items);
      await apply(items, chosenByDefault(items).map(suggestionKey));
    } catch (e) {
      setError(errorSentence(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section
      aria-label="Find access by describing the need"
      style={{ marginBottom: 24 }}
    >
      <form
        onSubmit={suggest}
        style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}
      >
        <TextField
          id="access-need"
          label="Describe what you need"
          placeholder="e.g. read the payments database to debug failed payouts"
          variant="outlined"
          size="small"
          fullWidth
          value={need}
          onChange={e => setNeed(e.target.value)}
          inputProps={{ maxLength: MAX_NEED_LENGTH }}
        />
        <Button
          type="submit"
          variant="outlined"
          color="primary"
          disabled={busy || !need.trim()}
        >
          Suggest
        </Button>
      </form>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
      {suggestions && suggestions.length === 0 && (
        <Typography variant="body2" role="status" style={{ marginTop: 8 }}>
          Nothing matches; search or browse below.
        </Typography>
      )}
      {suggestions && suggestions.length > 0 && (
        <List dense aria-label="Suggestions">
          {suggestions.map(s => {
            const key = suggestionKey(s);
            const checked = chosen.includes(key);
            return (
              <ListItem key={key} alignItems="flex-start">
                <ListItemIcon>
                  <Checkbox
                    edge="start"
                    checked={checked}
                    onChange={() =>
                      apply(
                        suggestions,
                        toggleSuggestion(suggestions, chosen, s),
                      )
                    }
                    inputProps={{ 'aria-label': `Choose ${s.title}` }}
                  />
                </ListItemIcon>
                <ListItemText
                  primary={`${s.title} — ${describe(s)}`}
                  secondary={s.reasons.join('; ')}
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </section>
  );
}
