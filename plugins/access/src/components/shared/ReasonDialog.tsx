import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { Alert } from '@material-ui/lab';
import { ReactNode, useState } from 'react';
import { errorSentence } from './errors';
import { useErrorTextProps } from './errorText';
import { useAccessTranslation } from './i18n';
import { TextWithNames } from './EntityNames';

/** The backend's limit on decision, cancel and revoke reasons. */
export const MAX_REASON_LENGTH = 124;

export interface ReasonDialogProps {
  open: boolean;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  /** The flow requires a reason for this action. */
  reasonRequired?: boolean;
  /** Danger actions (reject, revoke) get the secondary colour. */
  destructive?: boolean;
  onConfirm(reason: string | undefined): Promise<void>;
  onClose(): void;
}

/**
 * Asks for an optional or required reason (at most 124 characters) and runs the action, keeping
 * the dialog open with the backend's message when it refuses.
 */
export function ReasonDialog(props: ReasonDialogProps) {
  const { open, title, confirmLabel, onClose } = props;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const { t, format } = useAccessTranslation();
  const required = Boolean(props.reasonRequired);
  const trimmed = reason.trim();
  const tooLong = reason.length > MAX_REASON_LENGTH;
  const missing = required && trimmed.length === 0;
  let fieldError: string | undefined;
  if (tooLong) {
    fieldError = t('shared.reasonDialog.tooLong', {
      max: format.number(MAX_REASON_LENGTH),
      length: format.number(reason.length),
    });
  } else if (missing && touched) {
    fieldError = t('shared.reasonDialog.required');
  }
  const errorText = useErrorTextProps(Boolean(fieldError));

  const confirm = async () => {
    setTouched(true);
    if (tooLong || missing) {
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onConfirm(trimmed || undefined);
      setReason('');
      setTouched(false);
    } catch (e) {
      setFailure(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  const titleId = `reason-dialog-title-${confirmLabel.replace(/\W+/g, '-')}`;
  return (
    <Dialog
      data-jit-access="dialog"
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {props.description && (
          <DialogContentText component="div">
            {props.description}
          </DialogContentText>
        )}
        {failure && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            <TextWithNames text={failure} />
          </Alert>
        )}
        <TextField
          id="decision-reason"
          // A modal dialog opened to be typed in starts with the focus in its one field (as
          // WAI-ARIA's dialog pattern advises), not on its container.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          label={
            required
              ? t('shared.reasonDialog.reasonRequired')
              : t('shared.reasonDialog.reasonOptional')
          }
          value={reason}
          onChange={e => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
          multiline
          minRows={2}
          fullWidth
          variant="outlined"
          required={required}
          error={Boolean(fieldError)}
          {...errorText}
          helperText={
            fieldError ??
            t('shared.reasonDialog.counter', {
              length: format.number(reason.length),
              max: format.number(MAX_REASON_LENGTH),
            })
          }
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('shared.cancel')}
        </Button>
        <Button
          onClick={confirm}
          color={props.destructive ? 'secondary' : 'primary'}
          variant="contained"
          disabled={busy || tooLong}
        >
          {busy ? t('shared.working') : confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
