import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { useCaller } from '../shared/CallerContext';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { ReasonDialog } from '../shared/ReasonDialog';
import { useEntityTitles } from '../shared/useEntityTitles';
import { useLiveRefresh } from '../shared/useLiveRefresh';
import { usePagedList } from '../shared/usePagedList';
import { Decision, DecisionDialog } from './DecisionDialog';
import { PendingApprovalCard } from './PendingApprovalCard';
import { reasonRequiredFor } from './reasonRules';
import { TextWithNames } from '../shared/EntityNames';

interface BulkOutcome {
  approved: number;
  failures: string[];
}

/** Requests waiting for my decision; approve or reject one, or approve several at once. */
export function PendingApprovals() {
  const api = useApi(accessApiRef);
  const { caller } = useCaller();
  const { t } = useAccessTranslation();
  const list = usePagedList(
    cursor => api.getInbox({ state: 'pending', cursor, limit: 20 }),
    [api],
  );
  useLiveRefresh(list.reload);
  const name = useEntityTitles(list.items.map(r => r.granteeRef));
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [deciding, setDeciding] = useState<{
    request: AccessRequest;
    decision: Decision;
  }>();
  const [bulkOpen, setBulkOpen] = useState(false);
  const [notice, setNotice] = useState<{
    severity: 'success' | 'warning';
    text: string;
  }>();
  const [bulk, setBulk] = useState<BulkOutcome>();

  const selected = list.items.filter(r => selectedIds.includes(r.id));
  const toggle = (id: string, on: boolean) =>
    setSelectedIds(ids => (on ? [...ids, id] : ids.filter(x => x !== id)));
  const allSelected =
    list.items.length > 0 && selected.length === list.items.length;

  const approveSelected = async (reason?: string) => {
    const outcome: BulkOutcome = { approved: 0, failures: [] };
    // One at a time: each approval may change who else must decide.
    for (const request of selected) {
      try {
        await api.approveRequest(request.id, reason);
        outcome.approved += 1;
      } catch (e) {
        outcome.failures.push(
          t('approvals.pending.bulkFailure', {
            grantee: name(request.granteeRef),
            id: request.id,
            error: errorSentence(e, t),
          }),
        );
      }
    }
    setBulk(outcome);
    setSelectedIds([]);
    setBulkOpen(false);
    list.reload();
  };

  return (
    <>
      {notice && (
        <Alert
          severity={notice.severity}
          role="status"
          onClose={() => setNotice(undefined)}
          style={{ marginBottom: 16 }}
        >
          {notice.text}
        </Alert>
      )}
      {bulk && (
        <Alert
          severity={bulk.failures.length ? 'warning' : 'success'}
          role="status"
          onClose={() => setBulk(undefined)}
          style={{ marginBottom: 16 }}
        >
          {t('approvals.pending.bulkApproved', { count: bulk.approved })}
          {bulk.failures.length > 0 && (
            <ul>
              {bulk.failures.map(f => (
                <li key={f}>
                  <TextWithNames text={f} />
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what={t('approvals.pending.what')}
        emptyTitle={t('approvals.pending.emptyTitle')}
        emptyDescription={t('approvals.pending.emptyDescription')}
      >
        <div
          style={{
            display: 'flex',
            gap: 16,
            alignItems: 'center',
            marginBottom: 16,
          }}
        >
          <FormControlLabel
            control={
              <Checkbox
                checked={allSelected}
                indeterminate={selected.length > 0 && !allSelected}
                onChange={e =>
                  setSelectedIds(
                    e.target.checked ? list.items.map(r => r.id) : [],
                  )
                }
              />
            }
            label={t('approvals.pending.selectAll')}
          />
          <Button
            variant="contained"
            color="primary"
            disabled={selected.length === 0}
            onClick={() => setBulkOpen(true)}
          >
            {t('approvals.pending.approveSelected', {
              count: selected.length,
            })}
          </Button>
        </div>
        <Grid container spacing={2}>
          {list.items.map(request => (
            <Grid item xs={12} key={request.id}>
              <PendingApprovalCard
                request={request}
                me={caller?.userEntityRef}
                selected={selectedIds.includes(request.id)}
                onSelect={on => toggle(request.id, on)}
                onDecide={decision => setDeciding({ request, decision })}
              />
            </Grid>
          ))}
        </Grid>
        <LoadMoreButton
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onClick={list.loadMore}
          what={t('approvals.pending.whatMore')}
        />
      </ListStates>
      {deciding && (
        <DecisionDialog
          request={deciding.request}
          decision={deciding.decision}
          onDecided={answer => {
            setNotice({
              severity: 'success',
              text: t(
                deciding.decision === 'approve'
                  ? 'approvals.pending.approvedNotice'
                  : 'approvals.pending.rejectedNotice',
                { grantee: name(answer.granteeRef) },
              ),
            });
            setDeciding(undefined);
            setSelectedIds(ids => ids.filter(id => id !== answer.id));
            list.reload();
          }}
          onClose={() => {
            setDeciding(undefined);
            // A 409 means the request changed under us; show the list as it is now.
            list.reload();
          }}
        />
      )}
      <ReasonDialog
        open={bulkOpen}
        title={t('approvals.pending.bulkTitle', { count: selected.length })}
        description={t('approvals.pending.bulkDescription')}
        confirmLabel={t('approvals.pending.approveAll')}
        reasonRequired={selected.some(r => reasonRequiredFor(r, 'approve'))}
        onConfirm={approveSelected}
        onClose={() => setBulkOpen(false)}
      />
    </>
  );
}
