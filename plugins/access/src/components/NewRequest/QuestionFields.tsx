import { FlowQuestion } from '@jit-access/plugin-access-common';
import MenuItem from '@material-ui/core/MenuItem';
import { AccessTextField as TextField } from '../shared/AccessTextField';
import { DetailErrors } from './flowRules';

/** The flows' questions: free text or a choice, marked when required. */
export function QuestionFields(props: {
  questions: FlowQuestion[];
  answers: Record<string, string>;
  errors: DetailErrors;
  onChange(answers: Record<string, string>): void;
}) {
  const { questions, answers, errors, onChange } = props;
  return (
    <>
      {questions.map(q => {
        const error = errors[`answer.${q.id}`];
        return (
          <TextField
            key={q.id}
            select={q.type === 'choice'}
            id={`question-${q.id}`}
            label={q.label}
            required={q.required}
            variant="outlined"
            fullWidth
            value={answers[q.id] ?? ''}
            onChange={e => onChange({ ...answers, [q.id]: e.target.value })}
            error={Boolean(error)}
            helperText={error}
            inputProps={{ maxLength: 2000 }}
          >
            {q.type === 'choice' &&
              (q.choices ?? []).map(choice => (
                <MenuItem key={choice} value={choice}>
                  {choice}
                </MenuItem>
              ))}
          </TextField>
        );
      })}
    </>
  );
}
