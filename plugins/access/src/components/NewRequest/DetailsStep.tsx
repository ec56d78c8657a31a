import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import { AccessTextField as TextField } from '../shared/AccessTextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Submitted } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { errorSentence } from '../shared/errors';
import { useAccessTranslation } from '../shared/i18n';
import { ErrorNotice } from '../shared/ListStates';
import { useEntityTitles } from '../shared/useEntityTitles';
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
  const { t, format } = useAccessTranslation();
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
  // Items no flow covers are among the selection: name them all.
  const name = useEntityTitles(selection.items.map(i => i.resourceRef));

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
      <ErrorNotice error={match.error} what={t('newRequest.details.what')} />
    );
  }

  const errors: DetailErrors = showErrors
    ? validateDetails(details, requirements, plan, t)
    : {};
  const uncovered = match.value.uncovered;

  const submit = async () => {
    setShowErrors(true);
    if (
      Object.keys(validateDetails(details, requirements, plan, t)).length > 0 ||
      uncovered.length
    ) {
      setFailure(t('newRequest.details.invalid'));
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      props.onSubmitted(
        await api.submitRequest(toSubmission(selection, details)),
      );
    } catch (e) {
      setFailure(errorSentence(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      aria-label={t('newRequest.details.label')}
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
        {selection.bundle
          ? t('newRequest.details.bundleCount', {
              bundle: selection.bundle.title,
              count: selection.items.length,
              number: format.number(selection.items.length),
            })
          : t('newRequest.details.count', {
              count: selection.items.length,
              number: format.number(selection.items.length),
            })}{' '}
        <Button size="small" onClick={onBack}>
          {t('newRequest.details.change')}
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
              {t('newRequest.details.removeUncovered')}
            </Button>
          }
        >
          {t('newRequest.details.uncovered', { count: uncovered.length })}
          <ul>
            {uncovered.map(u => (
              <li key={itemKey(u)}>
                {t('newRequest.details.uncoveredItem', {
                  item: t('shared.items.item', {
                    resource: name(u.resourceRef),
                    permission: u.permission,
                  }),
                  reason: u.reason,
                })}
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
              label={t('newRequest.details.ticketType')}
              variant="outlined"
              style={{ minWidth: 200 }}
              value={details.ticketType}
              onChange={e => change({ ticketType: e.target.value })}
              required={requirements.ticketRequired}
              error={Boolean(errors.ticketType)}
              helperText={errors.ticketType}
            >
              {requirements.ticketTypes.map(type => (
                <MenuItem key={type} value={type}>
                  {type}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            id="ticket-id"
            label={t('newRequest.details.ticketId')}
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
          {t('newRequest.details.back')}
        </Button>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy}
        >
          {busy
            ? t('newRequest.details.submitting')
            : t('newRequest.details.submit')}
        </Button>
      </div>
    </form>
  );
}
