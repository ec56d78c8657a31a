import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { AuditVerification } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';

/**
 * Walks the hash-chained audit log on demand (it reads the whole log, so it is not run on every
 * visit).
 */
export function AuditVerificationCard() {
  const api = useApi(accessApiRef);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerification>();
  const [failure, setFailure] = useState<string>();

  const verify = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      setResult(await api.verifyAuditChain());
    } catch (e) {
      setFailure(errorSentence(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Audit log">
      <div role="status" aria-live="polite">
        {failure && <Alert severity="error">{failure}</Alert>}
        {result?.ok && (
          <Alert severity="success">
            The audit chain is intact ({result.checked} entries checked).
          </Alert>
        )}
        {result && !result.ok && (
          <Alert severity="error">
            The audit chain is broken at entry {result.brokenAt}
            {result.problem ? `: ${result.problem}` : ''} ({result.checked}{' '}
            entries checked).
          </Alert>
        )}
      </div>
      <Button
        variant="outlined"
        color="primary"
        onClick={verify}
        disabled={busy}
        style={{ marginTop: 16 }}
      >
        {busy ? 'Verifying…' : 'Verify the audit chain'}
      </Button>
    </InfoCard>
  );
}
