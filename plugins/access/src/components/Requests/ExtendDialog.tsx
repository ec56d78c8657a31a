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
import { formatDateTime, formatIsoDuration } from '../shared/format';
import { useAccessLinks } from '../shared/useAccessLinks';
import { endOf, extensionsLeft } from './requestRules';

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
      setFailure(errorSentence(e));
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
      <DialogTitle id="extend-title">Extend this request?</DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            {failure}
          </Alert>
        )}
        {!answer && (
          <>
            <DialogContentText>
              Your access ends {formatDateTime(endOf(request))}. Extending does
              not interrupt your work. {left} extension
              {left === 1 ? '' : 's'} left.
              {needsApproval && ' This extension needs approval.'}
            </DialogContentText>
            <TextField
              id="extend-duration"
              select
              label="Extend by"
              variant="outlined"
              value={duration ?? ''}
              onChange={e => setDuration(e.target.value)}
              style={{ minWidth: 200, marginBottom: 16 }}
            >
              {choices.map(choice => (
                <MenuItem key={choice} value={choice}>
                  {formatIsoDuration(choice)}
                </MenuItem>
              ))}
            </TextField>
            {needsApproval && (
              <TextField
                id="extend-justification"
                label="Why do you need more time?"
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
            Extended: your access now ends {formatDateTime(endOf(answer))}.
          </Alert>
        )}
        {answer && pendingApproval && (
          <Alert severity="info" role="status">
            Extension requested; it waits for approval.{' '}
            <Link to={links.request(answer.id)}>See the extension request</Link>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          {answer ? 'Close' : 'Cancel'}
        </Button>
        {!answer && (
          <Button
            color="primary"
            variant="contained"
            onClick={extend}
            disabled={busy || !duration}
          >
            {busy ? 'Extending…' : 'Extend'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
