import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Submitted } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';
import { shortRef } from '../shared/format';
import { ErrorNotice } from '../shared/ListStates';
import { FlowChoice } from './FlowChoice';
import { GranteeField } from './GranteeField';
import {
  DetailErrors,
  Details,
  EMPTY_DETAILS,
  planFlows,
  requirementsOf,
  toSubmission,
  validateDetails,
} from './flowRules';
import { JustificationField } from './JustificationField';
import { QuestionFields } from './QuestionFields';
import { itemKey, Selection } from './selection';
import { TimingFields } from './TimingFields';

/**
 * "Complete additional details": on behalf of whom, which flow, how long, ticket, answers and
 * justification, as the flows covering the selection ask; then submit.
 */
export function DetailsStep(props: {
  selection: Selection;
  onBack(): void;
  onRemoveItems(keys: string[]): void;
  onSubmitted(result: Submitted): void;
}) {
  const { selection, onBack } = props;
  const api = useApi(accessApiRef);
  const [details, setDetails] = useState<Details>(EMPTY_DETAILS);
  const [grantee, setGrantee] = useState('');
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const change = (changes: Partial<Details>) =>
    setDetails(d => ({ ...d, ...changes }));

  // Matching depends on the grantee: ask again once they are typed.
  const match = useAsync(
    () => api.matchFlows(selection.items, grantee || undefined),
    [api, selection.items, grantee],
  );
  const plan = match.value ? planFlows(match.value, details.flowId) : undefined;
  const requirements = requirementsOf(plan?.effective ?? []);
  const onBehalfAllowed =
    Boolean(match.value?.flows.some(m => m.flow.onBehalfOf)) ||
    Boolean(grantee);

  // Pick the only duration there is, and drop one the new flows do not offer.
  useEffect(() => {
    const offered = requirements.durations;
    if (details.duration && !offered.includes(details.duration))
      change({ duration: '' });
    if (!details.duration && offered.length === 1)
      change({ duration: offered[0] });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requirements.durations.join(',')]);

  if (match.loading && !match.value) {
    return <Progress />;
  }
  if (match.error || !match.value || !plan) {
    return (
      <ErrorNotice error={match.error} what="the flows for this selection" />
    );
  }

  const errors: DetailErrors = showErrors
    ? validateDetails(details, requirements, plan)
    : {};
  const uncovered = match.value.uncovered;

  const submit = async () => {
    setShowErrors(true);
    if (
      Object.keys(validateDetails(details, requirements, plan)).length > 0 ||
      uncovered.length
    ) {
      setFailure('Some details are missing or wrong; see the marked fields.');
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      props.onSubmitted(
        await api.submitRequest(toSubmission(selection, details)),
      );
    } catch (e) {
      setFailure(errorSentence(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      aria-label="Additional details"
      onSubmit={e => {
        e.preventDefault();
        submit();
      }}
      style={{
        display: 'flex',
        flexDirection: 'column',
        gap: 24,
        maxWidth: 760,
      }}
    >
      <Typography>
        {selection.bundle ? `Bundle “${selection.bundle.title}”: ` : ''}
        {selection.items.length} resource permission
        {selection.items.length === 1 ? '' : 's'}{' '}
        <Button size="small" onClick={onBack}>
          Change
        </Button>
      </Typography>
      {uncovered.length > 0 && (
        <Alert
          severity="warning"
          action={
            <Button
              color="inherit"
              size="small"
              onClick={() => props.onRemoveItems(uncovered.map(itemKey))}
            >
              Remove them
            </Button>
          }
        >
          No flow lets you request{' '}
          {uncovered.length === 1 ? 'this item' : 'these items'}:
          <ul>
            {uncovered.map(u => (
              <li key={itemKey(u)}>
                {shortRef(u.resourceRef)} ({u.permission}): {u.reason}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {onBehalfAllowed && (
        <GranteeField
          value={details.granteeRef}
          onChange={granteeRef => change({ granteeRef })}
          onCommit={setGrantee}
        />
      )}
      {plan.candidates.length > 1 && (
        <FlowChoice
          flows={plan.candidates}
          value={details.flowId}
          onChange={flowId => change({ flowId })}
          error={errors.flowId}
        />
      )}
      <TimingFields
        details={details}
        requirements={requirements}
        errors={errors}
        onChange={change}
      />
      {(requirements.ticketRequired || requirements.ticketTypes.length > 0) && (
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          {requirements.ticketTypes.length > 0 && (
            <TextField
              select
              id="ticket-type"
              label="Ticket type"
              variant="outlined"
              style={{ minWidth: 200 }}
              value={details.ticketType}
              onChange={e => change({ ticketType: e.target.value })}
              required={requirements.ticketRequired}
              error={Boolean(errors.ticketType)}
              helperText={errors.ticketType}
            >
              {requirements.ticketTypes.map(t => (
                <MenuItem key={t} value={t}>
                  {t}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            id="ticket-id"
            label="Ticket id"
            variant="outlined"
            value={details.ticketId}
            onChange={e => change({ ticketId: e.target.value })}
            required={requirements.ticketRequired}
            error={Boolean(errors.ticketId)}
            helperText={errors.ticketId}
            inputProps={{ maxLength: 255 }}
          />
        </div>
      )}
      <QuestionFields
        questions={requirements.questions}
        answers={details.answers}
        errors={errors}
        onChange={answers => change({ answers })}
      />
      <JustificationField
        value={details.justification}
        onChange={justification => change({ justification })}
        ticket={
          details.ticketId
            ? { id: details.ticketId, type: details.ticketType || undefined }
            : undefined
        }
        required={requirements.justificationRequired}
        error={errors.justification}
      />
      {failure && (
        <Alert severity="error" role="alert">
          {failure}
        </Alert>
      )}
      <div style={{ display: 'flex', gap: 16 }}>
        <Button onClick={onBack} disabled={busy}>
          Back
        </Button>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy}
        >
          {busy ? 'Submitting…' : 'Submit request'}
        </Button>
      </div>
    </form>
  );
}
