import { AccessFlow } from '@jit-access/plugin-access-common';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import { formatIsoDuration } from '../shared/format';

/** What sets one flow apart for the requester: durations and approval. */
export function flowDifferences(flow: AccessFlow): string {
  const durations = flow.durations.map(formatIsoDuration).join(', ');
  const stages = flow.approval.stages.length;
  const approval =
    stages === 0
      ? 'no approval'
      : `${stages} approval stage${stages === 1 ? '' : 's'}`;
  return `${durations || 'any duration'} (at most ${formatIsoDuration(
    flow.maxDuration,
  )}) · ${approval}`;
}

/** Choose the flow when several cover the selection ("Select a policy" in Entra). */
export function FlowChoice(props: {
  flows: AccessFlow[];
  value?: string;
  onChange(flowId: string): void;
  error?: string;
}) {
  const { flows, value, onChange, error } = props;
  return (
    <FormControl component="fieldset" error={Boolean(error)} required>
      <FormLabel component="legend">
        Several flows cover this access: which one?
      </FormLabel>
      <RadioGroup
        aria-label="Flow"
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
                  {flowDifferences(flow)}
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
