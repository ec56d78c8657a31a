import { useApi } from '@backstage/core-plugin-api';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';
import { DecidedApprovals } from './DecidedApprovals';
import { FulfilmentTasks } from './FulfilmentTasks';
import { PendingApprovals } from './PendingApprovals';

type ApprovalsTab = 'pending' | 'decided' | 'tasks';

/**
 * The approver's inbox: pending and decided requests; and, for owners of resources provisioned
 * by hand, their fulfilment tasks (the tab appears when they have any).
 */
export function ApprovalsPage() {
  const api = useApi(accessApiRef);
  const [tab, setTab] = useState<ApprovalsTab>('pending');
  const { t } = useAccessTranslation();
  const tasks = useAsync(async () => {
    const [open, done] = await Promise.all([
      api.listTasks({ state: 'open', limit: 1 }),
      api.listTasks({ state: 'done', limit: 1 }),
    ]);
    return {
      hasAny: open.items.length + done.items.length > 0,
      open: open.items.length,
    };
  }, [api]);
  const showTasks = Boolean(tasks.value?.hasAny);

  return (
    <>
      <Tabs
        value={tab}
        onChange={(_e, value) => setTab(value)}
        indicatorColor="primary"
        aria-label={t('approvals.tabs.label')}
        style={{ marginBottom: 16 }}
      >
        <Tab
          value="pending"
          label={t('approvals.tabs.pending')}
          id="approvals-tab-pending"
          aria-controls="approvals-panel"
        />
        <Tab
          value="decided"
          label={t('approvals.tabs.decided')}
          id="approvals-tab-decided"
          aria-controls="approvals-panel"
        />
        {showTasks && (
          <Tab
            value="tasks"
            label={
              tasks.value?.open
                ? t('approvals.tabs.tasksWithOpen')
                : t('approvals.tabs.tasks')
            }
            id="approvals-tab-tasks"
            aria-controls="approvals-panel"
          />
        )}
      </Tabs>
      <div
        role="tabpanel"
        id="approvals-panel"
        aria-labelledby={`approvals-tab-${tab}`}
      >
        {tab === 'pending' && <PendingApprovals />}
        {tab === 'decided' && <DecidedApprovals />}
        {tab === 'tasks' && <FulfilmentTasks />}
      </div>
    </>
  );
}
