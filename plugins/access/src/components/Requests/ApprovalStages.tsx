import { AccessRequest } from '@jit-access/plugin-access-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { Fragment } from 'react';
import { EntityName, WhyText } from '../shared/EntityNames';
import { formatDateTime } from '../shared/format';
import { CHAT_NAMES } from '../shared/channel';

function stageState(request: AccessRequest, stage: number): string {
  const decisions = request.approvals.filter(a => a.stage === stage);
  if (decisions.some(d => d.decision === 'reject')) return 'Rejected';
  if (request.status === 'pending_approval') {
    if (stage < request.currentStage) return 'Approved';
    if (stage === request.currentStage) return 'Waiting for a decision';
    return 'Not started';
  }
  if (decisions.length > 0) return 'Approved';
  return request.stageCount === 0 ? 'Approved automatically' : 'Not decided';
}

/**
 * Each approval stage: who decided and when, with the reason; and while a stage waits, who can
 * still decide it and why they were chosen.
 */
export function ApprovalStages(props: { request: AccessRequest }) {
  const { request } = props;
  if (request.stageCount === 0) {
    return (
      <Typography variant="body2">
        This flow needs no approval: the request was approved when submitted.
      </Typography>
    );
  }
  const stages = Array.from({ length: request.stageCount }, (_, i) => i);
  return (
    <List dense aria-label="Approval stages">
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
              primary={`Stage ${stage + 1} of ${
                request.stageCount
              }: ${stageState(request, stage)}`}
              secondaryTypographyProps={{ component: 'div' }}
              secondary={
                <>
                  {decisions.map(d => (
                    <Typography
                      key={`${d.approverRef}-${d.decidedAt}`}
                      variant="body2"
                      component="div"
                    >
                      {d.decision === 'approve' ? 'Approved' : 'Rejected'} by{' '}
                      <EntityName entityRef={d.approverRef} /> on{' '}
                      {formatDateTime(d.decidedAt)}
                      {d.channel && CHAT_NAMES[d.channel]
                        ? ` in ${CHAT_NAMES[d.channel]}`
                        : ''}
                      {d.reason ? ` — “${d.reason}”` : ''}
                    </Typography>
                  ))}
                  {waiting && candidates.length > 0 && (
                    <Typography variant="body2" component="div">
                      Can still approve:{' '}
                      {candidates.map((c, i) => (
                        <Fragment key={c.entityRef}>
                          {i > 0 && '; '}
                          <EntityName entityRef={c.entityRef} /> (
                          <WhyText why={c.why} />)
                        </Fragment>
                      ))}
                    </Typography>
                  )}
                  {waiting && candidates.length === 0 && (
                    <Typography variant="body2" component="div">
                      Nobody is left who can approve this stage.
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
