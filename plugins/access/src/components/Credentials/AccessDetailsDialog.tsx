import { useApi } from '@backstage/core-plugin-api';
import {
  AccessCredentialsReveal,
  AccessRequestItem,
} from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { describeError, errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { useEntityTitles } from '../shared/useEntityTitles';
import { CredentialsList } from './CredentialsList';

type Phase = 'idle' | 'busy' | 'shown' | 'confirm-reset';

/**
 * "Access details" of one grant: its credentials, which the backend shows once. After that (or
 * when the backend answers 409) the only way to see credentials again is to reset them.
 */
export function AccessDetailsDialog(props: {
  open: boolean;
  item: AccessRequestItem;
  onClose(): void;
  /** Called after a reveal or reset, so that lists can mark the credentials as shown. */
  onChanged?(): void;
}) {
  const { open, item, onClose, onChanged } = props;
  const api = useApi(accessApiRef);
  const [phase, setPhase] = useState<Phase>('idle');
  const [revealed, setRevealed] = useState<AccessCredentialsReveal>();
  const [alreadyShown, setAlreadyShown] = useState(
    Boolean(item.credentialsShown),
  );
  const [failure, setFailure] = useState<string>();
  const { t } = useAccessTranslation();
  const name = useEntityTitles([item.resourceRef]);
  // Sealed until the first look, then shown: either way the grant has credentials.
  const withCredentials = Boolean(
    item.credentialsReady || item.credentialsShown,
  );

  const run = async (action: 'reveal' | 'reset') => {
    setPhase('busy');
    setFailure(undefined);
    try {
      const answer =
        action === 'reveal'
          ? await api.revealCredentials(item.id)
          : await api.resetCredentials(item.id);
      setRevealed(answer);
      setAlreadyShown(true);
      setPhase('shown');
      onChanged?.();
    } catch (e) {
      if (describeError(e).status === 409) {
        setAlreadyShown(true);
      }
      setFailure(errorSentence(e, t));
      setPhase('idle');
    }
  };

  const close = () => {
    // Credentials never stay in memory after the dialog closes.
    setRevealed(undefined);
    setPhase('idle');
    setFailure(undefined);
    onClose();
  };

  const title = t('credentials.title', {
    item: t('shared.items.item', {
      resource: name(item.resourceRef),
      permission: item.permission,
    }),
  });
  return (
    <Dialog
      data-jit-access="dialog"
      open={open}
      onClose={close}
      aria-labelledby="access-details-title"
      fullWidth
    >
      <DialogTitle id="access-details-title">{title}</DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            {failure}
          </Alert>
        )}
        {!withCredentials && (
          <Typography>{t('credentials.noCredentials')}</Typography>
        )}
        {withCredentials && phase === 'shown' && revealed && (
          <>
            <Alert severity="warning" style={{ marginBottom: 16 }}>
              {t('credentials.copyNow')}
            </Alert>
            <CredentialsList credentials={revealed.credentials} />
          </>
        )}
        {withCredentials && phase === 'confirm-reset' && (
          <Typography>{t('credentials.confirmReset')}</Typography>
        )}
        {withCredentials && (phase === 'idle' || phase === 'busy') && (
          <Typography>
            {alreadyShown
              ? t('credentials.alreadyShown')
              : t('credentials.showOnce')}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{t('shared.close')}</Button>
        {withCredentials && phase === 'confirm-reset' && (
          <Button
            color="secondary"
            variant="contained"
            onClick={() => run('reset')}
          >
            {t('credentials.reset')}
          </Button>
        )}
        {withCredentials &&
          (phase === 'idle' || phase === 'busy') &&
          (alreadyShown ? (
            <Button
              color="secondary"
              variant="outlined"
              disabled={phase === 'busy'}
              onClick={() => setPhase('confirm-reset')}
            >
              {t('credentials.resetEllipsis')}
            </Button>
          ) : (
            <Button
              color="primary"
              variant="contained"
              disabled={phase === 'busy'}
              onClick={() => run('reveal')}
            >
              {t('credentials.show')}
            </Button>
          ))}
      </DialogActions>
    </Dialog>
  );
}
