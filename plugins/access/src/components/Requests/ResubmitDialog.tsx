import { Link } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import TextField from '@material-ui/core/TextField';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { Resubmission, Submitted } from '@jit-access/plugin-access-common';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useEntityTitles } from '../shared/useEntityTitles';
import { TextWithNames } from '../shared/EntityNames';

/**
 * "Request again" of a closed request or a favorite: asks this time's justification, submits
 * under today's flows, and lists the requests created.
 */
export function ResubmitDialog(props: {
  open: boolean;
  /** What is asked for again, e.g. "Payments PostgreSQL database (read)". */
  what: string;
  submit(changes: Resubmission): Promise<Submitted>;
  onClose(): void;
  onSubmitted?(result: Submitted): void;
}) {
  const { open, what, submit, onClose } = props;
  const links = useAccessLinks();
  const [justification, setJustification] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [result, setResult] = useState<Submitted>();
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles(
    result?.requests.flatMap(r => r.items.map(i => i.resourceRef)) ?? [],
  );

  const send = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const answer = await submit({
        justification: justification.trim() || undefined,
      });
      setResult(answer);
      props.onSubmitted?.(answer);
    } catch (e) {
      setFailure(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setResult(undefined);
    setFailure(undefined);
    setJustification('');
    onClose();
  };

  return (
    <Dialog
      data-jit-access="dialog"
      open={open}
      onClose={busy ? undefined : close}
      aria-labelledby="resubmit-title"
      fullWidth
    >
      <DialogTitle id="resubmit-title">
        {t('requests.resubmit.title')}
      </DialogTitle>
      <DialogContent>
        {failure && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            <TextWithNames text={failure} />
          </Alert>
        )}
        {!result && (
          <>
            <DialogContentText>
              {t('requests.resubmit.intro', { what })}
            </DialogContentText>
            <TextField
              id="resubmit-justification"
              label={t('requests.resubmit.justification')}
              value={justification}
              onChange={e => setJustification(e.target.value)}
              multiline
              minRows={3}
              fullWidth
              variant="outlined"
              inputProps={{ maxLength: 4000 }}
            />
          </>
        )}
        {result && (
          <>
            <Alert severity="success" role="status">
              {t('requests.resubmit.submitted', {
                count: result.requests.length,
              })}
            </Alert>
            <List dense aria-label={t('requests.resubmit.created')}>
              {result.requests.map(r => (
                <ListItem key={r.id}>
                  <Link to={links.request(r.id)}>
                    {t('requests.resubmit.createdItem', {
                      items: format.items(r.items, name),
                      status: format.status(r.status),
                    })}
                  </Link>
                </ListItem>
              ))}
            </List>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          {result ? t('shared.close') : t('shared.cancel')}
        </Button>
        {!result && (
          <Button
            color="primary"
            variant="contained"
            onClick={send}
            disabled={busy}
          >
            {busy
              ? t('requests.resubmit.submitting')
              : t('requests.resubmit.submit')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
