import { useApi } from '@backstage/core-plugin-api';
import { AccessBundle } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useEntityTitles } from '../shared/useEntityTitles';
import { usePagedList } from '../shared/usePagedList';
import { itemKey, Selection } from './selection';

function matches(bundle: AccessBundle, text: string): boolean {
  const needle = text.trim().toLocaleLowerCase('en-US');
  return (
    !needle ||
    `${bundle.title} ${bundle.id} ${bundle.description ?? ''}`
      .toLocaleLowerCase('en-US')
      .includes(needle)
  );
}

/** "By bundle": search bundle cards; take a whole bundle or pick some of its resources. */
export function ByBundle(props: {
  selection: Selection;
  onChange(selection: Selection): void;
}) {
  const { selection, onChange } = props;
  const api = useApi(accessApiRef);
  const [search, setSearch] = useState('');
  const [openId, setOpenId] = useState<string>();
  const [showSelected, setShowSelected] = useState(false);
  const { t, format } = useAccessTranslation();
  const list = usePagedList(
    cursor => api.listBundles({ cursor, limit: 50 }),
    [api],
  );
  const shown = list.items.filter(b => matches(b, search));
  const name = useEntityTitles(
    list.items.flatMap(b => b.items.map(i => i.resourceRef)),
  );

  const chooseWhole = (bundle: AccessBundle) =>
    onChange({
      items: bundle.items,
      bundle: { id: bundle.id, title: bundle.title, whole: true },
    });

  const toggleItem = (bundle: AccessBundle, key: string, on: boolean) => {
    const current = selection.bundle?.id === bundle.id ? selection.items : [];
    const items = on
      ? bundle.items.filter(
          i =>
            itemKey(i) === key || current.some(c => itemKey(c) === itemKey(i)),
        )
      : current.filter(i => itemKey(i) !== key);
    onChange(
      items.length
        ? {
            items,
            bundle: {
              id: bundle.id,
              title: bundle.title,
              whole: items.length === bundle.items.length,
            },
          }
        : { items: [] },
    );
  };

  return (
    <>
      <TextField
        id="bundle-search"
        label={t('newRequest.byBundle.search')}
        variant="outlined"
        size="small"
        value={search}
        onChange={e => setSearch(e.target.value)}
        style={{ marginBottom: 8 }}
      />
      <Typography
        variant="body2"
        role="status"
        aria-live="polite"
        style={{ marginBottom: 16 }}
      >
        {list.loading
          ? ''
          : t('newRequest.byBundle.count', {
              count: shown.length,
              number: format.number(shown.length),
            })}
      </Typography>
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={shown.length === 0}
        what={t('newRequest.byBundle.what')}
        emptyTitle={
          list.items.length
            ? t('newRequest.byBundle.noMatch')
            : t('newRequest.byBundle.none')
        }
      >
        <Grid container spacing={2}>
          {shown.map(bundle => {
            const chosen = selection.bundle?.id === bundle.id;
            const open = openId === bundle.id;
            const chosenKeys = new Set(
              chosen ? selection.items.map(itemKey) : [],
            );
            const visible = bundle.items.filter(
              i => !(open && showSelected) || chosenKeys.has(itemKey(i)),
            );
            return (
              <Grid
                item
                xs={12}
                md={open ? 12 : 6}
                lg={open ? 12 : 4}
                key={bundle.id}
              >
                <Card
                  variant="outlined"
                  raised={chosen}
                  component="article"
                  aria-label={bundle.title}
                >
                  <CardContent>
                    <Typography variant="h6" component="h3">
                      {bundle.title}
                    </Typography>
                    {bundle.description && (
                      <Typography variant="body2">
                        {bundle.description}
                      </Typography>
                    )}
                    <Typography variant="caption" color="textSecondary">
                      {t('newRequest.byBundle.items', {
                        count: bundle.items.length,
                        number: format.number(bundle.items.length),
                      })}
                      {chosen &&
                        t('newRequest.byBundle.chosen', {
                          choice: selection.bundle?.whole
                            ? t('newRequest.byBundle.whole')
                            : t('newRequest.byBundle.picked', {
                                number: format.number(selection.items.length),
                              }),
                        })}
                    </Typography>
                    {open && (
                      <>
                        <FormControlLabel
                          control={
                            <Switch
                              checked={showSelected}
                              onChange={e => setShowSelected(e.target.checked)}
                            />
                          }
                          label={t('newRequest.byBundle.showSelected')}
                          style={{ display: 'block' }}
                        />
                        <FormGroup
                          aria-label={t('newRequest.byBundle.resourcesOf', {
                            title: bundle.title,
                          })}
                        >
                          {visible.map(item => (
                            <FormControlLabel
                              key={itemKey(item)}
                              label={t('shared.items.item', {
                                resource: name(item.resourceRef),
                                permission: item.permission,
                              })}
                              control={
                                <Checkbox
                                  checked={chosenKeys.has(itemKey(item))}
                                  onChange={e =>
                                    toggleItem(
                                      bundle,
                                      itemKey(item),
                                      e.target.checked,
                                    )
                                  }
                                />
                              }
                            />
                          ))}
                        </FormGroup>
                      </>
                    )}
                  </CardContent>
                  <CardActions>
                    <Button
                      size="small"
                      color="primary"
                      variant={
                        chosen && selection.bundle?.whole
                          ? 'contained'
                          : 'outlined'
                      }
                      onClick={() => chooseWhole(bundle)}
                      aria-pressed={chosen && selection.bundle?.whole}
                    >
                      {chosen && selection.bundle?.whole
                        ? t('newRequest.byBundle.wholeSelected')
                        : t('newRequest.byBundle.select')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => setOpenId(open ? undefined : bundle.id)}
                      aria-expanded={open}
                    >
                      {open
                        ? t('newRequest.byBundle.hideResources')
                        : t('newRequest.byBundle.chooseResources')}
                    </Button>
                  </CardActions>
                </Card>
              </Grid>
            );
          })}
        </Grid>
        <LoadMoreButton
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onClick={list.loadMore}
          what={t('newRequest.byBundle.what')}
        />
      </ListStates>
    </>
  );
}
