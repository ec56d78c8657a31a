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
import { shortRef } from '../shared/format';
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
      setFailure(errorSentence(e));
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

  const title = `Access details: ${shortRef(item.resourceRef)} (${
    item.permission
  })`;
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
          <Typography>
            This access needs no credentials of its own, or they are not ready
            yet. Use your usual sign-in for this resource.
          </Typography>
        )}
        {withCredentials && phase === 'shown' && revealed && (
          <>
            <Alert severity="warning" style={{ marginBottom: 16 }}>
              Copy these now: they are shown only once. To see credentials again
              you will have to reset them.
            </Alert>
            <CredentialsList credentials={revealed.credentials} />
          </>
        )}
        {withCredentials && phase === 'confirm-reset' && (
          <Typography>
            Resetting issues new credentials and the old ones stop working.
            Reset them now?
          </Typography>
        )}
        {withCredentials && (phase === 'idle' || phase === 'busy') && (
          <Typography>
            {alreadyShown
              ? 'The credentials were already shown. Reset them to get new ones.'
              : 'Your credentials can be shown once. Make sure nobody is looking over your shoulder.'}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Close</Button>
        {withCredentials && phase === 'confirm-reset' && (
          <Button
            color="secondary"
            variant="contained"
            onClick={() => run('reset')}
          >
            Reset credentials
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
              Reset credentials…
            </Button>
          ) : (
            <Button
              color="primary"
              variant="contained"
              disabled={phase === 'busy'}
              onClick={() => run('reveal')}
            >
              Show credentials
            </Button>
          ))}
      </DialogActions>
    </Dialog>
  );
}
