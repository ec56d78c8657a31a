import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { useAccessTranslation } from '../shared/i18n';

interface Person {
  ref: string;
  label: string;
}

/**
 * Whom the request is for: a picker over the catalog's users where the app has a catalog (a
 * user ref can still be typed), a plain field otherwise. Empty means oneself.
 */
export function GranteeField(props: {
  value: string;
  onChange(value: string): void;
  onCommit(value: string): void;
}) {
  const { value, onChange, onCommit } = props;
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { t, locale } = useAccessTranslation();
  const people = useAsync(async (): Promise<Person[]> => {
    if (!catalogApi) return [];
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'User' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.profile'],
    });
    return items
      .map(user => {
        const ref = stringifyEntityRef(user);
        const name = (
          user.spec?.profile as { displayName?: string } | undefined
        )?.displayName;
        return {
          ref,
          label: name ? t('newRequest.grantee.option', { name, ref }) : ref,
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label, locale));
  }, [catalogApi, t, locale]);

  const field = (params: object = {}) => (
    <TextField
      {...params}
      id="request-grantee"
      label={t('newRequest.grantee.label')}
      placeholder={t('newRequest.grantee.placeholder')}
      variant="outlined"
      helperText={t('newRequest.grantee.help')}
    />
  );

  if (!catalogApi) {
    return (
      <TextField
        id="request-grantee"
        label={t('newRequest.grantee.label')}
        placeholder={t('newRequest.grantee.placeholderWithoutCatalog')}
        variant="outlined"
        value={value}
        onChange={e => onChange(e.target.value)}
        onBlur={() => onCommit(value.trim())}
        helperText={t('newRequest.grantee.help')}
      />
    );
  }
  return (
    <Autocomplete<Person, false, false, true>
      freeSolo
      options={people.value ?? []}
      loading={people.loading}
      getOptionLabel={option =>
        typeof option === 'string' ? option : option.label
      }
      inputValue={value}
      onInputChange={(_, text, reason) => {
        // Picking a person puts their ref in the field, not the label shown in the list.
        if (reason !== 'reset') onChange(text);
      }}
      onChange={(_, picked) => {
        const ref = typeof picked === 'string' ? picked : picked?.ref ?? '';
        onChange(ref);
        onCommit(ref.trim());
      }}
      onBlur={() => onCommit(value.trim())}
      renderInput={params => field(params)}
    />
  );
}
