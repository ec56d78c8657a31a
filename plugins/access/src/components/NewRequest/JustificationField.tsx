import { useApi } from '@backstage/core-plugin-api';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { AccessTextField as TextField } from '../shared/AccessTextField';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { JustificationFeedback } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';

const LEVEL_COLOURS = {
  weak: '#d32f2f',
  fair: '#ed6c02',
  strong: '#2e7d32',
} as const;

const LEVEL_KEYS = {
  weak: 'newRequest.justification.levels.weak',
  fair: 'newRequest.justification.levels.fair',
  strong: 'newRequest.justification.levels.strong',
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
  const { t, format } = useAccessTranslation();
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
        label={t('newRequest.justification.label')}
        value={value}
        onChange={e => onChange(e.target.value)}
        required={required}
        error={Boolean(error)}
        helperText={error ?? t('newRequest.justification.help')}
        multiline
        minRows={3}
        fullWidth
        variant="outlined"
        inputProps={{ maxLength: 4000 }}
      />
      <div
        aria-live="polite"
        aria-label={t('newRequest.justification.feedbackLabel')}
        role="status"
      >
        {feedback && (
          <>
            <Typography variant="body2" style={{ marginTop: 8 }}>
              {t('newRequest.justification.level', {
                level:
                  feedback.level in LEVEL_KEYS
                    ? t(LEVEL_KEYS[feedback.level])
                    : feedback.level,
              })}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={feedback.score}
              aria-label={t('newRequest.justification.score', {
                score: format.number(feedback.score),
                max: format.number(100),
              })}
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
                        titleAccess={t('newRequest.justification.checkDone')}
                      />
                    ) : (
                      <RadioButtonUncheckedIcon
                        titleAccess={t('newRequest.justification.checkMissing')}
                      />
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
