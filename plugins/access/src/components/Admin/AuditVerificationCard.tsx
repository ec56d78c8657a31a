import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { AuditVerification } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';

/**
 * Walks the hash-chained audit log on demand (it reads the whole log, so it is not run on every
 * visit).
 */
export function AuditVerificationCard() {
  const api = useApi(accessApiRef);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerification>();
  const [failure, setFailure] = useState<string>();
  const { t, format } = useAccessTranslation();

  const verify = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      setResult(await api.verifyAuditChain());
    } catch (e) {
      setFailure(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title={t('admin.audit.title')}>
      <div role="status" aria-live="polite">
        {failure && <Alert severity="error">{failure}</Alert>}
        {result?.ok && (
          <Alert severity="success">
            {t('admin.audit.intact', { count: result.checked })}
          </Alert>
        )}
        {result && !result.ok && (
          <Alert severity="error">
            {result.problem
              ? t('admin.audit.brokenWithProblem', {
                  entry: format.number(result.brokenAt ?? 0),
                  problem: result.problem,
                  count: result.checked,
                })
              : t('admin.audit.broken', {
                  entry: format.number(result.brokenAt ?? 0),
                  count: result.checked,
                })}
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
        {busy ? t('admin.audit.verifying') : t('admin.audit.verify')}
      </Button>
    </InfoCard>
  );
}
