import { useApi } from '@backstage/core-plugin-api';
import { AccessItem, AccessResource } from '@jit-access/plugin-access-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { usePagedList } from '../shared/usePagedList';
import { MAX_ITEMS } from './selection';
import { useResourceFacets } from './useResourceFacets';

/** Each chosen resource with each chosen permission it offers. */
export function itemsFor(
  resources: AccessResource[],
  permissions: string[],
): AccessItem[] {
  return resources
    .flatMap(r =>
      permissions
        .filter(p => r.permissions.includes(p))
        .map(permission => ({ resourceRef: r.ref, permission })),
    )
    .slice(0, MAX_ITEMS);
}

/** "By app": integration, then resource type, then resources, then permissions. */
export function ByApp(props: { onChange(items: AccessItem[]): void }) {
  const { onChange } = props;
  const api = useApi(accessApiRef);
  const facets = useResourceFacets();
  const [integration, setIntegration] = useState('');
  const [type, setType] = useState('');
  const [resources, setResources] = useState<AccessResource[]>([]);
  const [permissions, setPermissions] = useState<string[]>([]);
  const { t, locale } = useAccessTranslation();

  const list = usePagedList(
    cursor =>
      integration && type
        ? api.listResources({ integration, type, cursor, limit: 100 })
        : Promise.resolve({ items: [] }),
    [api, integration, type],
  );

  useEffect(() => {
    onChange(itemsFor(resources, permissions));
    // onChange is the parent's setter; only the choices matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resources, permissions]);

  const offered = Array.from(
    new Set(resources.flatMap(r => r.permissions)),
  ).sort((a, b) => a.localeCompare(b, locale));
  const toggleResource = (resource: AccessResource, on: boolean) =>
    setResources(prev =>
      on ? [...prev, resource] : prev.filter(r => r.ref !== resource.ref),
    );
  const togglePermission = (permission: string, on: boolean) =>
    setPermissions(prev =>
      on ? [...prev, permission] : prev.filter(p => p !== permission),
    );

  return (
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        gap: 16,
        maxWidth: 640,
      }}
    >
      <TextField
        select
        id="app-integration"
        label={t('newRequest.byApp.integration')}
        variant="outlined"
        value={integration}
        helperText={
          facets.error ? t('newRequest.byApp.integrationsFailed') : undefined
        }
        error={Boolean(facets.error)}
        onChange={e => {
          setIntegration(e.target.value);
          setType('');
          setResources([]);
          setPermissions([]);
        }}
      >
        {facets.integrations.map(i => (
          <MenuItem key={i} value={i}>
            {i}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        id="app-resource-type"
        label={t('newRequest.byApp.resourceType')}
        variant="outlined"
        value={type}
        disabled={!integration}
        onChange={e => {
          setType(e.target.value);
          setResources([]);
          setPermissions([]);
        }}
      >
        {(facets.typesByIntegration[integration] ?? []).map(option => (
          <MenuItem key={option} value={option}>
            {option}
          </MenuItem>
        ))}
      </TextField>
      {integration && type && (
        <FormControl component="fieldset">
          <FormLabel component="legend">
            {t('newRequest.byApp.resources')}
          </FormLabel>
          <ListStates
            loading={list.loading}
            error={list.error}
            onRetry={list.reload}
            empty={list.items.length === 0}
            what={t('newRequest.byApp.what')}
            emptyTitle={t('newRequest.byApp.empty')}
          >
            <FormGroup>
              {list.items.map(resource => (
                <FormControlLabel
                  key={resource.ref}
                  label={resource.title}
                  control={
                    <Checkbox
                      checked={resources.some(r => r.ref === resource.ref)}
                      onChange={e => toggleResource(resource, e.target.checked)}
                    />
                  }
                />
              ))}
            </FormGroup>
            <LoadMoreButton
              hasMore={list.hasMore}
              loading={list.loadingMore}
              onClick={list.loadMore}
              what={t('newRequest.byApp.what')}
            />
          </ListStates>
        </FormControl>
      )}
      {resources.length > 0 && (
        <FormControl component="fieldset">
          <FormLabel component="legend">
            {t('newRequest.byApp.permissions')}
          </FormLabel>
          <FormGroup row>
            {offered.map(permission => (
              <FormControlLabel
                key={permission}
                label={permission}
                control={
                  <Checkbox
                    checked={permissions.includes(permission)}
                    onChange={e =>
                      togglePermission(permission, e.target.checked)
                    }
                  />
                }
              />
            ))}
          </FormGroup>
          <Typography variant="caption" color="textSecondary">
            {t('newRequest.byApp.permissionsHelp')}
          </Typography>
        </FormControl>
      )}
    </div>
  );
}
