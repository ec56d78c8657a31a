import { AccessFlow } from '@jit-access/plugin-access-common';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import { AccessT, Formatters, useAccessTranslation } from '../shared/i18n';

/** What sets one flow apart for the requester: durations and approval. */
export function flowDifferences(
  flow: AccessFlow,
  t: AccessT,
  format: Formatters,
): string {
  const durations = format.list(flow.durations.map(format.duration));
  const stages = flow.approval.stages.length;
  return t('newRequest.flowChoice.differences', {
    durations: durations || t('newRequest.flowChoice.anyDuration'),
    max: format.duration(flow.maxDuration),
    approval:
      stages === 0
        ? t('newRequest.flowChoice.noApproval')
        : t('newRequest.flowChoice.stages', { count: stages }),
  });
}

/** Choose the flow when several cover the selection ("Select a policy" in Entra). */
export function FlowChoice(props: {
  flows: AccessFlow[];
  value?: string;
  onChange(flowId: string): void;
  error?: string;
}) {
  const { flows, value, onChange, error } = props;
  const { t, format } = useAccessTranslation();
  return (
    <FormControl component="fieldset" error={Boolean(error)} required>
      <FormLabel component="legend">
        {t('newRequest.flowChoice.legend')}
      </FormLabel>
      <RadioGroup
        aria-label={t('newRequest.flowChoice.label')}
        value={value ?? ''}
        onChange={e => onChange(e.target.value)}
      >
        {flows.map(flow => (
          <FormControlLabel
            key={flow.id}
            value={flow.id}
            control={<Radio />}
            label={
              <>
                <Typography>{flow.title}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {flowDifferences(flow, t, format)}
                </Typography>
              </>
            }
          />
        ))}
      </RadioGroup>
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
