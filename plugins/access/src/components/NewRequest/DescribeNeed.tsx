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
import { AccessT, Formatters, useAccessTranslation } from '../shared/i18n';
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

function describe(s: AccessSuggestion, t: AccessT, format: Formatters): string {
  return [
    s.kind === 'bundle' ? t('newRequest.describe.bundle') : s.permission ?? '',
    s.flowTitle,
    s.duration && format.duration(s.duration),
    s.requiresApproval
      ? t('newRequest.describe.needsApproval')
      : t('newRequest.describe.grantedAtOnce'),
  ]
    .filter(Boolean)
    .join(t('newRequest.describe.separator'));
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
  const { t, format } = useAccessTranslation();

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
      setError(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section
      aria-label={t('newRequest.describe.sectionLabel')}
      style={{ marginBottom: 24 }}
    >
      <form
        onSubmit={suggest}
        style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}
      >
        <TextField
          id="access-need"
          label={t('newRequest.describe.label')}
          placeholder={t('newRequest.describe.placeholder')}
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
          {t('newRequest.describe.suggest')}
        </Button>
      </form>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
      {suggestions && suggestions.length === 0 && (
        <Typography variant="body2" role="status" style={{ marginTop: 8 }}>
          {t('newRequest.describe.nothing')}
        </Typography>
      )}
      {suggestions && suggestions.length > 0 && (
        <List dense aria-label={t('newRequest.describe.suggestions')}>
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
                    inputProps={{
                      'aria-label': t('newRequest.describe.choose', {
                        title: s.title,
                      }),
                    }}
                  />
                </ListItemIcon>
                <ListItemText
                  primary={t('newRequest.describe.suggestion', {
                    title: s.title,
                    description: describe(s, t, format),
                  })}
                  secondary={s.reasons.join(
                    t('newRequest.describe.reasonSeparator'),
                  )}
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </section>
  );
}
