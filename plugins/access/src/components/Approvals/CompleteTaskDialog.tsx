import { useApi } from '@backstage/core-plugin-api';
import { FulfilmentTask } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { useEntityTitles } from '../shared/useEntityTitles';
import { TextWithNames } from '../shared/EntityNames';

/** Marks a manual grant or revoke as done, with an optional note for the audit trail. */
export function CompleteTaskDialog(props: {
  task: FulfilmentTask;
  onCompleted(task: FulfilmentTask): void;
  onClose(): void;
}) {
  const { task } = props;
  const api = useApi(accessApiRef);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const { t } = useAccessTranslation();
  const name = useEntityTitles([task.resourceRef, task.granteeRef]);

  const complete = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      props.onCompleted(
        await api.completeTask(task.id, note.trim() || undefined),
      );
    } catch (e) {
      setFailure(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  const grant = task.action === 'grant';
  const facts = {
    permission: task.permission,
    resource: name(task.resourceRef),
    grantee: name(task.granteeRef),
  };
  return (
    <Dialog
      data-jit-access="dialog"
      open
      onClose={busy ? undefined : props.onClose}
      aria-labelledby="complete-task-title"
      fullWidth
    >
      <DialogTitle id="complete-task-title">
        {t('approvals.completeTask.title')}
      </DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            <TextWithNames text={failure} />
          </Alert>
        )}
        <DialogContentText>
          {grant
            ? t('approvals.completeTask.confirmGranted', facts)
            : t('approvals.completeTask.confirmRevoked', facts)}
        </DialogContentText>
        <TextField
          // The dialog is opened to write the note: the focus starts there.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          id="task-note"
          label={t('approvals.completeTask.note')}
          value={note}
          onChange={e => setNote(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          inputProps={{ maxLength: 2000 }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          {t('shared.cancel')}
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={complete}
          disabled={busy}
        >
          {busy && t('approvals.completeTask.saving')}
          {!busy &&
            (grant
              ? t('approvals.completeTask.markGranted')
              : t('approvals.completeTask.markRevoked'))}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
