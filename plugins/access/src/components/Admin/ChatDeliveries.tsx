import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessChatChannelName,
  AccessChatDelivery,
} from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { CHAT_KEYS } from '../shared/channel';
import { EntityName } from '../shared/EntityNames';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { usePagedList } from '../shared/usePagedList';

const KIND_KEYS = {
  approval: 'admin.chatDeliveries.kind.approval',
  'approval-update': 'admin.chatDeliveries.kind.approvalUpdate',
  'requester-update': 'admin.chatDeliveries.kind.requesterUpdate',
} as const satisfies Record<AccessChatDelivery['kind'], string>;

/**
 * Chat messages (Slack, Microsoft Teams) that failed after every retry, each with a Retry that
 * queues it again. Rendered as a grid item of the admin page, and not at all where chat is off
 * and nothing failed: the backend answers which chat channels are installed.
 */
export function ChatDeliveries() {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const { t, format } = useAccessTranslation();
  const [channels, setChannels] = useState<AccessChatChannelName[]>();
  const list = usePagedList(
    async cursor => {
      const page = await api.listChatDeliveries({
        state: 'failed',
        cursor,
        limit: 25,
      });
      if (!cursor) {
        setChannels(page.channels);
      }
      return page;
    },
    [api],
  );
  const [retrying, setRetrying] = useState<string>();
  const [outcome, setOutcome] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();

  const chatOff = channels !== undefined && channels.length === 0;
  // Nothing to say before the first answer, nor where chat is off and nothing failed.
  if (
    (list.loading && channels === undefined) ||
    (!list.error && chatOff && list.items.length === 0)
  ) {
    return null;
  }

  const kindText = (delivery: AccessChatDelivery) =>
    delivery.kind in KIND_KEYS ? t(KIND_KEYS[delivery.kind]) : delivery.kind;
  const chatText = (delivery: AccessChatDelivery) =>
    delivery.channel in CHAT_KEYS
      ? t(CHAT_KEYS[delivery.channel])
      : delivery.channel;
  const retry = async (delivery: AccessChatDelivery) => {
    const named = { message: kindText(delivery), request: delivery.requestId };
    setRetrying(delivery.id);
    setOutcome(undefined);
    try {
      await api.retryChatDelivery(delivery.id);
      setOutcome({
        severity: 'success',
        text: t('admin.chatDeliveries.retried', named),
      });
    } catch (e) {
      setOutcome({
        severity: 'error',
        text: t('admin.chatDeliveries.retryFailed', {
          error: errorSentence(e, t),
        }),
      });
    } finally {
      setRetrying(undefined);
      list.reload();
    }
  };

  return (
    <Grid item xs={12}>
      <InfoCard
        title={t('admin.chatDeliveries.title')}
        subheader={t('admin.chatDeliveries.subheader')}
      >
        {chatOff && (
          <Alert severity="info" style={{ marginBottom: 16 }}>
            {t('admin.chatDeliveries.chatOff')}
          </Alert>
        )}
        <div role="status" aria-live="polite">
          {outcome && (
            <Alert severity={outcome.severity} style={{ marginBottom: 16 }}>
              {outcome.text}
            </Alert>
          )}
        </div>
        <ListStates
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          empty={list.items.length === 0}
          what={t('admin.chatDeliveries.what')}
          emptyTitle={t('admin.chatDeliveries.emptyTitle')}
          emptyDescription={t('admin.chatDeliveries.emptyDescription')}
        >
          <Table size="small" aria-label={t('admin.chatDeliveries.title')}>
            <TableHead>
              <TableRow>
                <TableCell>
                  {t('admin.chatDeliveries.columns.failed')}
                </TableCell>
                <TableCell>{t('admin.chatDeliveries.columns.chat')}</TableCell>
                <TableCell>
                  {t('admin.chatDeliveries.columns.message')}
                </TableCell>
                <TableCell>
                  {t('admin.chatDeliveries.columns.request')}
                </TableCell>
                <TableCell>
                  {t('admin.chatDeliveries.columns.recipient')}
                </TableCell>
                <TableCell>
                  {t('admin.chatDeliveries.columns.attempts')}
                </TableCell>
                <TableCell>
                  {t('admin.chatDeliveries.columns.lastError')}
                </TableCell>
                <TableCell>
                  {t('admin.chatDeliveries.columns.actions')}
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.items.map(delivery => (
                <TableRow key={delivery.id}>
                  {/* A failed delivery is not touched again: its last change is the failure. */}
                  <TableCell>{format.dateTime(delivery.updatedAt)}</TableCell>
                  <TableCell>{chatText(delivery)}</TableCell>
                  <TableCell>{kindText(delivery)}</TableCell>
                  <TableCell>
                    <Link to={links.request(delivery.requestId)}>
                      {delivery.requestId}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {delivery.recipientRef ? (
                      <EntityName entityRef={delivery.recipientRef} />
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell>{format.number(delivery.attempts)}</TableCell>
                  <TableCell style={{ wordBreak: 'break-word' }}>
                    {delivery.lastError ?? '—'}
                  </TableCell>
                  <TableCell>
                    {channels?.includes(delivery.channel) && (
                      <Button
                        size="small"
                        variant="outlined"
                        color="primary"
                        disabled={retrying !== undefined}
                        onClick={() => retry(delivery)}
                        aria-label={t('admin.chatDeliveries.retryLabel', {
                          message: kindText(delivery),
                          request: delivery.requestId,
                        })}
                      >
                        {retrying === delivery.id
                          ? t('admin.chatDeliveries.retrying')
                          : t('admin.chatDeliveries.retry')}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <LoadMoreButton
            hasMore={list.hasMore}
            loading={list.loadingMore}
            onClick={list.loadMore}
            what={t('admin.chatDeliveries.whatMore')}
          />
        </ListStates>
      </InfoCard>
    </Grid>
  );
}
