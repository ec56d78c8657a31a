import { useApi } from '@backstage/core-plugin-api';
import { Link } from '@backstage/core-components';
import { AccessRequest } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { useAccessLinks } from '../shared/useAccessLinks';
import { endOf, extensionsLeft } from './requestRules';
import { TextWithNames } from '../shared/EntityNames';

/**
 * Lengths offered for an extension: the durations of the request's flow, the request's own
 * duration first when the flow offers it. A request whose flow is gone offers its own duration.
 */
export function extensionChoices(request: AccessRequest): string[] {
  const offered = request.extension?.durations ?? [];
  const own = request.duration ? [request.duration] : [];
  if (offered.length === 0) {
    return own;
  }
  return Array.from(
    new Set([...own.filter(d => offered.includes(d)), ...offered]),
  );
}

/**
 * "Extend this request?": extends by a length the flow offers. Without approval the same
 * request comes back with a later end; with approval a new pending request is created.
 */
export function ExtendDialog(props: {
  open: boolean;
  request: AccessRequest;
  onClose(): void;
  onExtended?(answer: AccessRequest): void;
}) {
  const { open, request, onClose } = props;
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const [justification, setJustification] = useState('');
  const choices = extensionChoices(request);
  const [duration, setDuration] = useState<string | undefined>(choices[0]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [answer, setAnswer] = useState<AccessRequest>();
  const { t, format } = useAccessTranslation();
  const needsApproval = request.extension?.requiresApproval;
  const left = extensionsLeft(request);

  const extend = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await api.extendRequest(request.id, {
        duration,
        justification: justification.trim() || undefined,
      });
      setAnswer(result);
      props.onExtended?.(result);
    } catch (e) {
      setFailure(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setAnswer(undefined);
    setFailure(undefined);
    onClose();
  };

  const pendingApproval = answer && answer.id !== request.id;
  return (
    <Dialog
      data-jit-access="dialog"
      open={open}
      onClose={busy ? undefined : close}
      aria-labelledby="extend-title"
      fullWidth
    >
      <DialogTitle id="extend-title">
        {t('requestPage.extend.title')}
      </DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            <TextWithNames text={failure} />
          </Alert>
        )}
        {!answer && (
          <>
            <DialogContentText>
              {t('requestPage.extend.intro', {
                time: format.dateTime(endOf(request)),
              })}{' '}
              {t('requestPage.extend.left', { count: left })}
              {needsApproval && ` ${t('requestPage.extend.needsApproval')}`}
            </DialogContentText>
            <TextField
              id="extend-duration"
              select
              label={t('requestPage.extend.by')}
              variant="outlined"
              value={duration ?? ''}
              onChange={e => setDuration(e.target.value)}
              style={{ minWidth: 200, marginBottom: 16 }}
            >
              {choices.map(choice => (
                <MenuItem key={choice} value={choice}>
                  {format.duration(choice)}
                </MenuItem>
              ))}
            </TextField>
            {needsApproval && (
              <TextField
                id="extend-justification"
                label={t('requestPage.extend.why')}
                value={justification}
                onChange={e => setJustification(e.target.value)}
                multiline
                minRows={2}
                fullWidth
                variant="outlined"
                inputProps={{ maxLength: 4000 }}
              />
            )}
          </>
        )}
        {answer && !pendingApproval && (
          <Alert severity="success" role="status">
            {t('requestPage.extend.extended', {
              time: format.dateTime(endOf(answer)),
            })}
          </Alert>
        )}
        {answer && pendingApproval && (
          <Alert severity="info" role="status">
            {t('requestPage.extend.requested')}{' '}
            <Link to={links.request(answer.id)}>
              {t('requestPage.extend.seeRequest')}
            </Link>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          {answer ? t('shared.close') : t('shared.cancel')}
        </Button>
        {!answer && (
          <Button
            color="primary"
            variant="contained"
            onClick={extend}
            disabled={busy || !duration}
          >
            {busy
              ? t('requestPage.extend.extending')
              : t('requestPage.extend.extend')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
