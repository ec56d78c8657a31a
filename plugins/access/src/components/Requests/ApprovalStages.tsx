import { AccessRequest } from '@jit-access/plugin-access-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { Fragment } from 'react';
import { EntityName, WhyText } from '../shared/EntityNames';
import { CHAT_KEYS } from '../shared/channel';
import { AccessT, useAccessTranslation } from '../shared/i18n';

function stageState(request: AccessRequest, stage: number, t: AccessT): string {
  const decisions = request.approvals.filter(a => a.stage === stage);
  if (decisions.some(d => d.decision === 'reject'))
    return t('requestPage.stages.state.rejected');
  if (request.status === 'pending_approval') {
    if (stage < request.currentStage)
      return t('requestPage.stages.state.approved');
    if (stage === request.currentStage)
      return t('requestPage.stages.state.waiting');
    return t('requestPage.stages.state.notStarted');
  }
  if (decisions.length > 0) return t('requestPage.stages.state.approved');
  return request.stageCount === 0
    ? t('requestPage.stages.state.automatic')
    : t('requestPage.stages.state.notDecided');
}

/**
 * Each approval stage: who decided and when, with the reason; and while a stage waits, who can
 * still decide it and why they were chosen.
 */
export function ApprovalStages(props: { request: AccessRequest }) {
  const { request } = props;
  const { t, format } = useAccessTranslation();
  if (request.stageCount === 0) {
    return (
      <Typography variant="body2">
        {t('requestPage.stages.noApproval')}
      </Typography>
    );
  }
  const stages = Array.from({ length: request.stageCount }, (_, i) => i);
  return (
    <List dense aria-label={t('requestPage.stages.label')}>
      {stages.map(stage => {
        const decisions = request.approvals.filter(a => a.stage === stage);
        const waiting =
          request.status === 'pending_approval' &&
          stage === request.currentStage;
        const candidates = request.approvers.filter(
          a =>
            a.stage === stage &&
            !decisions.some(d => d.approverRef === a.entityRef),
        );
        return (
          <ListItem key={stage} alignItems="flex-start" divider>
            <ListItemText
              // Reasons and approver lists wrap instead of being cut off.
              style={{ whiteSpace: 'normal', overflow: 'visible' }}
              primary={t('requestPage.stages.stage', {
                stage: format.number(stage + 1),
                stages: format.number(request.stageCount),
                state: stageState(request, stage, t),
              })}
              secondaryTypographyProps={{ component: 'div' }}
              secondary={
                <>
                  {decisions.map(d => (
                    <Typography
                      key={`${d.approverRef}-${d.decidedAt}`}
                      variant="body2"
                      component="div"
                    >
                      {t(
                        d.decision === 'approve'
                          ? 'requestPage.stages.approvedBy'
                          : 'requestPage.stages.rejectedBy',
                        {
                          approver: <EntityName entityRef={d.approverRef} />,
                          time: format.dateTime(d.decidedAt),
                        },
                      )}
                      {d.channel && d.channel in CHAT_KEYS
                        ? t('requestPage.stages.inChat', {
                            chat: t(CHAT_KEYS[d.channel]),
                          })
                        : ''}
                      {d.reason
                        ? t('requestPage.reason', { reason: d.reason })
                        : ''}
                    </Typography>
                  ))}
                  {waiting && candidates.length > 0 && (
                    <Typography variant="body2" component="div">
                      {t('requestPage.stages.canStillApprove', {
                        approvers: (
                          <>
                            {candidates.map((c, i) => (
                              <Fragment key={c.entityRef}>
                                {i > 0 && t('requestPage.stages.separator')}
                                {t('requestPage.stages.candidate', {
                                  approver: (
                                    <EntityName entityRef={c.entityRef} />
                                  ),
                                  why: <WhyText why={c.why} />,
                                })}
                              </Fragment>
                            ))}
                          </>
                        ),
                      })}
                    </Typography>
                  )}
                  {waiting && candidates.length === 0 && (
                    <Typography variant="body2" component="div">
                      {t('requestPage.stages.nobodyLeft')}
                    </Typography>
                  )}
                </>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
