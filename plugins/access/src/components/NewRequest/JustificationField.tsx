import { useApi } from '@backstage/core-plugin-api';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { JustificationFeedback } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';

const LEVEL_COLOURS = {
  weak: '#d32f2f',
  fair: '#ed6c02',
  strong: '#2e7d32',
} as const;

/**
 * "Why do you need this access?" with a live indicator of what the text still lacks (task,
 * access level, ticket), scored by the backend as the person types.
 */
export function JustificationField(props: {
  value: string;
  onChange(value: string): void;
  ticket?: { type?: string; id?: string };
  required: boolean;
  error?: string;
}) {
  const { value, onChange, ticket, required, error } = props;
  const api = useApi(accessApiRef);
  const [feedback, setFeedback] = useState<JustificationFeedback>();
  useDebounce(
    () => {
      if (!value.trim()) {
        setFeedback(undefined);
        return;
      }
      api
        .scoreJustification(value, ticket?.id ? ticket : undefined)
        .then(setFeedback)
        // The indicator is a help, not a gate: without it the form still works.
        .catch(() => setFeedback(undefined));
    },
    400,
    [value, ticket?.id, ticket?.type],
  );

  return (
    <div>
      <TextField
        id="request-justification"
        label="Why do you need this access?"
        value={value}
        onChange={e => onChange(e.target.value)}
        required={required}
        error={Boolean(error)}
        helperText={
          error ??
          'Describe the task, why this level of access, and the ticket.'
        }
        multiline
        minRows={3}
        fullWidth
        variant="outlined"
        inputProps={{ maxLength: 4000 }}
      />
      <div aria-live="polite" aria-label="Justification feedback" role="status">
        {feedback && (
          <>
            <Typography variant="body2" style={{ marginTop: 8 }}>
              Justification: {feedback.level}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={feedback.score}
              aria-label={`Justification score ${feedback.score} of 100`}
              style={{ height: 6, borderRadius: 3 }}
              // The bar's colour follows the level (green when strong).
              color={feedback.level === 'strong' ? 'primary' : 'secondary'}
            />
            <List dense>
              {feedback.checks.map(check => (
                <ListItem key={check.id}>
                  <ListItemIcon>
                    {check.passed ? (
                      <CheckCircleIcon
                        style={{ color: LEVEL_COLOURS.strong }}
                        titleAccess="Done"
                      />
                    ) : (
                      <RadioButtonUncheckedIcon titleAccess="Missing" />
                    )}
                  </ListItemIcon>
                  <ListItemText
                    primary={check.label}
                    secondary={check.passed ? undefined : check.hint}
                  />
                </ListItem>
              ))}
            </List>
          </>
        )}
      </div>
    </div>
  );
}
