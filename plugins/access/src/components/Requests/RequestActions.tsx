import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { useCaller } from '../shared/CallerContext';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { ReasonDialog } from '../shared/ReasonDialog';
import { useEntityTitles } from '../shared/useEntityTitles';
import { ExtendDialog } from './ExtendDialog';
import {
  canCancel,
  canExtend,
  canFavorite,
  canRequestAgain,
  canRevoke,
} from './requestRules';
import { ResubmitDialog } from './ResubmitDialog';

type OpenDialog = 'cancel' | 'revoke' | 'extend' | 'again' | undefined;

/** The actions that apply to a request now: cancel, revoke, extend, request again, favorite. */
export function RequestActions(props: {
  request: AccessRequest;
  /** Called after any change, so that the page reloads the request. */
  onChanged(): void;
}) {
  const { request, onChanged } = props;
  const api = useApi(accessApiRef);
  const alertApi = useApi(alertApiRef);
  const { caller, isAdmin } = useCaller();
  const [open, setOpen] = useState<OpenDialog>();
  const [saving, setSaving] = useState(false);
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles(request.items.map(i => i.resourceRef));
  const viewer = { userEntityRef: caller?.userEntityRef, isAdmin };

  const saveFavorite = async () => {
    setSaving(true);
    try {
      const favorite = await api.saveFavorite(request.id);
      alertApi.post({
        message: t('requestPage.actions.savedFavorite', {
          name: favorite.name,
        }),
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      alertApi.post({ message: errorSentence(e, t), severity: 'error' });
    } finally {
      setSaving(false);
    }
  };

  const done = () => {
    setOpen(undefined);
    onChanged();
  };

  const actions = {
    cancel: canCancel(request, viewer),
    revoke: canRevoke(request, viewer),
    extend: canExtend(request, viewer),
    again: canRequestAgain(request, viewer),
    favorite: canFavorite(request, viewer),
  };
  if (!Object.values(actions).some(Boolean)) {
    return null;
  }

  return (
    <div
      role="group"
      aria-label={t('requestPage.actions.label')}
      style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}
    >
      {actions.extend && (
        <Button
          variant="contained"
          color="primary"
          onClick={() => setOpen('extend')}
        >
          {t('requestPage.actions.extend')}
        </Button>
      )}
      {actions.again && (
        <Button
          variant="contained"
          color="primary"
          onClick={() => setOpen('again')}
        >
          {t('requestPage.actions.requestAgain')}
        </Button>
      )}
      {actions.cancel && (
        <Button variant="outlined" onClick={() => setOpen('cancel')}>
          {t('requestPage.actions.cancelRequest')}
        </Button>
      )}
      {actions.revoke && (
        <Button
          variant="outlined"
          color="secondary"
          onClick={() => setOpen('revoke')}
        >
          {t('requestPage.actions.revoke')}
        </Button>
      )}
      {actions.favorite && (
        <Button variant="outlined" onClick={saveFavorite} disabled={saving}>
          {t('requestPage.actions.markFavorite')}
        </Button>
      )}

      <ReasonDialog
        open={open === 'cancel'}
        title={t('requestPage.actions.cancelTitle')}
        description={t('requestPage.actions.cancelDescription')}
        confirmLabel={t('requestPage.actions.cancelRequest')}
        onConfirm={async reason => {
          await api.cancelRequest(request.id, reason);
          done();
        }}
        onClose={() => setOpen(undefined)}
      />
      <ReasonDialog
        open={open === 'revoke'}
        title={t('requestPage.actions.revokeTitle')}
        description={t('requestPage.actions.revokeDescription', {
          items: format.items(request.items, name),
        })}
        confirmLabel={t('requestPage.actions.revoke')}
        destructive
        onConfirm={async reason => {
          await api.revokeRequest(request.id, reason);
          done();
        }}
        onClose={() => setOpen(undefined)}
      />
      {open === 'extend' && (
        <ExtendDialog
          open
          request={request}
          onClose={() => setOpen(undefined)}
          onExtended={onChanged}
        />
      )}
      {open === 'again' && (
        <ResubmitDialog
          open
          what={format.items(request.items, name)}
          submit={changes => api.requestAgain(request.id, changes)}
          onClose={() => setOpen(undefined)}
          onSubmitted={onChanged}
        />
      )}
    </div>
  );
}
