import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import { AccessTextField as TextField } from '../shared/AccessTextField';
import { useAccessTranslation } from '../shared/i18n';
import { DetailErrors, Details, Requirements } from './flowRules';

/** A duration from the flow's choices, or a specific start (where allowed) and end. */
export function TimingFields(props: {
  details: Details;
  requirements: Requirements;
  errors: DetailErrors;
  onChange(changes: Partial<Details>): void;
}) {
  const { details, requirements, errors, onChange } = props;
  const { t, format } = useAccessTranslation();
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <RadioGroup
        row
        aria-label={t('newRequest.timing.label')}
        value={details.timing}
        onChange={e =>
          onChange({ timing: e.target.value as Details['timing'] })
        }
      >
        <FormControlLabel
          value="duration"
          control={<Radio />}
          label={t('newRequest.timing.forDuration')}
        />
        <FormControlLabel
          value="window"
          control={<Radio />}
          label={t('newRequest.timing.window')}
        />
      </RadioGroup>
      {details.timing === 'duration' ? (
        <TextField
          select
          id="request-duration"
          label={t('newRequest.timing.duration')}
          variant="outlined"
          value={details.duration}
          onChange={e => onChange({ duration: e.target.value })}
          error={Boolean(errors.duration)}
          helperText={errors.duration}
          required
          style={{ maxWidth: 320 }}
        >
          {requirements.durations.map(d => (
            <MenuItem key={d} value={d}>
              {format.duration(d)}
            </MenuItem>
          ))}
        </TextField>
      ) : (
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          {requirements.allowScheduledStart && (
            <TextField
              id="request-start"
              label={t('newRequest.timing.start')}
              type="datetime-local"
              variant="outlined"
              InputLabelProps={{ shrink: true }}
              value={details.startAt}
              onChange={e => onChange({ startAt: e.target.value })}
              error={Boolean(errors.startAt)}
              helperText={errors.startAt}
            />
          )}
          <TextField
            id="request-end"
            label={t('newRequest.timing.end')}
            type="datetime-local"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
            value={details.endAt}
            onChange={e => onChange({ endAt: e.target.value })}
            error={Boolean(errors.endAt)}
            helperText={errors.endAt}
            required
          />
        </div>
      )}
    </div>
  );
}
