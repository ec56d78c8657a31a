import { useApi } from '@backstage/core-plugin-api';
import { AccessItem, AccessResource } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { usePagedList } from '../shared/usePagedList';
import { itemKey, MAX_ITEMS } from './selection';
import { useResourceFacets } from './useResourceFacets';

const PAGE_SIZE = 50;

/** The id of the permission select on a resource's row. */
function selectId(resource: AccessResource): string {
  return `permissions-${resource.ref.replace(/\W+/g, '-')}`;
}

/**
 * "By resource": search, filter by type and permission, tick resources (with the permission
 * wanted on each), up to 1,000 items; select all, and show only what is selected.
 */
export function ByResource(props: {
  items: AccessItem[];
  onChange(items: AccessItem[]): void;
}) {
  const { items, onChange } = props;
  const api = useApi(accessApiRef);
  const facets = useResourceFacets();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [type, setType] = useState('');
  const [permission, setPermission] = useState('');
  const [showSelected, setShowSelected] = useState(false);
  const [selectingAll, setSelectingAll] = useState(false);
  const [known, setKnown] = useState<Record<string, AccessResource>>({});
  const { t, format } = useAccessTranslation();
  useDebounce(() => setQ(text.trim()), 300, [text]);

  const filters = {
    q: q || undefined,
    type: type || undefined,
    permission: permission || undefined,
  };
  const list = usePagedList(
    async cursor => {
      const page = await api.listResources({
        ...filters,
        cursor,
        limit: PAGE_SIZE,
      });
      setKnown(prev => ({
        ...prev,
        ...Object.fromEntries(page.items.map(r => [r.ref, r])),
      }));
      return page;
    },
    [api, q, type, permission],
  );

  const selectedKeys = new Set(items.map(itemKey));
  const permissionsOf = (ref: string) =>
    items.filter(i => i.resourceRef === ref).map(i => i.permission);
  const defaultPermission = (resource: AccessResource) =>
    permission && resource.permissions.includes(permission)
      ? permission
      : resource.permissions[0];

  const setResource = (resource: AccessResource, permissions: string[]) => {
    const others = items.filter(i => i.resourceRef !== resource.ref);
    const next = [
      ...others,
      ...permissions.map(p => ({ resourceRef: resource.ref, permission: p })),
    ];
    onChange(next.slice(0, MAX_ITEMS));
  };

  const selectAll = async () => {
    setSelectingAll(true);
    try {
      // Every matching resource, page by page, until the limit.
      const chosen = [...items];
      const keys = new Set(chosen.map(itemKey));
      let cursor: string | undefined;
      do {
        const page = await api.listResources({
          ...filters,
          cursor,
          limit: 500,
        });
        for (const resource of page.items) {
          const item = {
            resourceRef: resource.ref,
            permission: defaultPermission(resource),
          };
          if (
            !chosen.some(i => i.resourceRef === resource.ref) &&
            !keys.has(itemKey(item))
          ) {
            chosen.push(item);
            keys.add(itemKey(item));
          }
        }
        setKnown(prev => ({
          ...prev,
          ...Object.fromEntries(page.items.map(r => [r.ref, r])),
        }));
        cursor = page.nextCursor;
      } while (cursor && chosen.length < MAX_ITEMS);
      onChange(chosen.slice(0, MAX_ITEMS));
    } finally {
      setSelectingAll(false);
    }
  };

  const selectedRefs = Array.from(new Set(items.map(i => i.resourceRef)));
  const rows: AccessResource[] = showSelected
    ? selectedRefs.map(
        ref =>
          known[ref] ?? {
            ref,
            title: ref,
            type: '',
            integration: '',
            permissions: permissionsOf(ref),
            owners: [],
            tags: [],
            source: 'catalog',
          },
      )
    : list.items;
  const full = items.length >= MAX_ITEMS;

  return (
    <>
      <div
        style={{ display: 'flex', gap: 16, flexWrap: 'wrap', marginBottom: 16 }}
      >
        <TextField
          id="resource-search"
          label={t('newRequest.byResource.search')}
          variant="outlined"
          size="small"
          value={text}
          onChange={e => setText(e.target.value)}
        />
        <TextField
          select
          id="resource-type-filter"
          label={t('newRequest.byResource.type')}
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          variant="outlined"
          size="small"
          style={{ minWidth: 180 }}
          value={type}
          onChange={e => setType(e.target.value)}
        >
          <MenuItem value="">{t('newRequest.byResource.anyType')}</MenuItem>
          {facets.types.map(option => (
            <MenuItem key={option} value={option}>
              {option}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          id="resource-permission-filter"
          label={t('newRequest.byResource.permission')}
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          variant="outlined"
          size="small"
          style={{ minWidth: 180 }}
          value={permission}
          onChange={e => setPermission(e.target.value)}
        >
          <MenuItem value="">
            {t('newRequest.byResource.anyPermission')}
          </MenuItem>
          {facets.permissions.map(p => (
            <MenuItem key={p} value={p}>
              {p}
            </MenuItem>
          ))}
        </TextField>
      </div>
      <div
        style={{
          display: 'flex',
          gap: 16,
          alignItems: 'center',
          flexWrap: 'wrap',
        }}
      >
        <Typography role="status" aria-live="polite">
          {t('newRequest.byResource.selectedOfMax', {
            selected: format.number(items.length),
            max: format.number(MAX_ITEMS),
          })}
        </Typography>
        <Button
          size="small"
          variant="outlined"
          onClick={selectAll}
          disabled={selectingAll || full}
        >
          {selectingAll
            ? t('newRequest.byResource.selecting')
            : t('newRequest.byResource.selectAll')}
        </Button>
        <Button
          size="small"
          onClick={() => onChange([])}
          disabled={items.length === 0}
        >
          {t('newRequest.byResource.clear')}
        </Button>
        <FormControlLabel
          control={
            <Switch
              checked={showSelected}
              onChange={e => setShowSelected(e.target.checked)}
            />
          }
          label={t('newRequest.byResource.showSelected')}
        />
      </div>
      <ListStates
        loading={!showSelected && list.loading}
        error={showSelected ? undefined : list.error}
        onRetry={list.reload}
        empty={rows.length === 0}
        what={t('newRequest.byResource.what')}
        emptyTitle={
          showSelected
            ? t('newRequest.byResource.nothingSelected')
            : t('newRequest.byResource.noMatch')
        }
        emptyDescription={
          showSelected ? undefined : t('newRequest.byResource.noMatchHelp')
        }
      >
        <Table size="small" aria-label={t('newRequest.byResource.tableLabel')}>
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>
                {t('newRequest.byResource.columns.resource')}
              </TableCell>
              <TableCell>{t('newRequest.byResource.columns.type')}</TableCell>
              <TableCell>
                {t('newRequest.byResource.columns.permissions')}
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(resource => {
              const chosen = permissionsOf(resource.ref);
              const checked = chosen.length > 0;
              return (
                <TableRow key={resource.ref} selected={checked}>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={checked}
                      disabled={!checked && full}
                      onChange={e =>
                        setResource(
                          resource,
                          e.target.checked ? [defaultPermission(resource)] : [],
                        )
                      }
                      inputProps={{
                        'aria-label': t('newRequest.byResource.selectLabel', {
                          title: resource.title,
                        }),
                      }}
                    />
                  </TableCell>
                  <TableCell>
                    {resource.title}
                    {resource.description && (
                      <Typography
                        variant="caption"
                        display="block"
                        // A selected row is tinted: the secondary grey falls below 4.5:1 on it.
                        color={checked ? 'textPrimary' : 'textSecondary'}
                      >
                        {resource.description}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{resource.type}</TableCell>
                  <TableCell>
                    {/* Named "Permissions on <resource>" followed by what it shows. */}
                    <span id={`${selectId(resource)}-label`} hidden>
                      {t('newRequest.byResource.permissionsOn', {
                        title: resource.title,
                      })}
                    </span>
                    <TextField
                      id={selectId(resource)}
                      select
                      size="small"
                      SelectProps={{
                        multiple: true,
                        renderValue: v =>
                          format.list(v as string[]) ||
                          t('newRequest.byResource.choose'),
                        displayEmpty: true,
                        SelectDisplayProps: {
                          'aria-labelledby': `${selectId(
                            resource,
                          )}-label ${selectId(resource)}`,
                        } as object,
                      }}
                      value={chosen}
                      onChange={e =>
                        setResource(
                          resource,
                          e.target.value as unknown as string[],
                        )
                      }
                    >
                      {resource.permissions.map(p => (
                        <MenuItem
                          key={p}
                          value={p}
                          disabled={
                            full &&
                            !selectedKeys.has(
                              itemKey({
                                resourceRef: resource.ref,
                                permission: p,
                              }),
                            )
                          }
                        >
                          {p}
                        </MenuItem>
                      ))}
                    </TextField>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        {!showSelected && (
          <LoadMoreButton
            hasMore={list.hasMore}
            loading={list.loadingMore}
            onClick={list.loadMore}
            what={t('newRequest.byResource.what')}
          />
        )}
      </ListStates>
    </>
  );
}
