import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Submitted } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { ByApp } from './ByApp';
import { ByBundle } from './ByBundle';
import { ByResource } from './ByResource';
import { DescribeNeed } from './DescribeNeed';
import { DetailsStep } from './DetailsStep';
import { EMPTY_SELECTION, itemKey, Selection } from './selection';
import { SubmissionResultView } from './SubmissionResultView';

type Mode = 'resource' | 'app' | 'bundle';
type Step = 'select' | 'details' | 'done';

const MODE_LABELS: Record<Mode, string> = {
  resource: 'Request by resource',
  app: 'Request by app',
  bundle: 'Request by bundle',
};

/**
 * New Request in three ways (by resource, by app, by bundle), then the additional details, then
 * the requests created. `?resource=<ref>` preselects a resource (from an entity page); a need
 * described in words preselects what the backend suggests for it.
 */
export function NewRequestPage() {
  const api = useApi(accessApiRef);
  const [params] = useSearchParams();
  const preselected = params.get('resource');
  const [mode, setMode] = useState<Mode>('resource');
  const [step, setStep] = useState<Step>('select');
  const [selections, setSelections] = useState<Record<Mode, Selection>>({
    resource: EMPTY_SELECTION,
    app: EMPTY_SELECTION,
    bundle: EMPTY_SELECTION,
  });
  const [result, setResult] = useState<Submitted>();
  const selection = selections[mode];
  const setSelection = (next: Selection) =>
    setSelections(s => ({ ...s, [mode]: next }));

  useEffect(() => {
    if (!preselected) return;
    // The entity page's resource with its first permission; the person can change it.
    api
      .listResources({ q: preselected.split('/').pop(), limit: 50 })
      .then(page => page.items.find(r => r.ref === preselected))
      .then(resource => {
        if (resource?.permissions.length) {
          setSelections(s => ({
            ...s,
            resource: {
              items: [
                {
                  resourceRef: resource.ref,
                  permission: resource.permissions[0],
                },
              ],
            },
          }));
        }
      })
      .catch(() => undefined);
  }, [api, preselected]);

  if (step === 'done' && result) {
    return (
      <SubmissionResultView
        result={result}
        onNew={() => {
          setSelections({
            resource: EMPTY_SELECTION,
            app: EMPTY_SELECTION,
            bundle: EMPTY_SELECTION,
          });
          setResult(undefined);
          setStep('select');
        }}
      />
    );
  }

  if (step === 'details') {
    return (
      <InfoCard title="Complete additional details">
        <DetailsStep
          selection={selection}
          onBack={() => setStep('select')}
          onRemoveItems={keys => {
            const items = selection.items.filter(
              i => !keys.includes(itemKey(i)),
            );
            // A bundle missing some items is no longer the whole bundle.
            setSelection({
              items,
              bundle: selection.bundle && { ...selection.bundle, whole: false },
            });
            if (items.length === 0) setStep('select');
          }}
          onSubmitted={answer => {
            setResult(answer);
            setStep('done');
          }}
        />
      </InfoCard>
    );
  }

  return (
    <InfoCard title="How would you like to request access?">
      <DescribeNeed
        onSelect={(suggested, suggestedMode) => {
          setSelections(s => ({ ...s, [suggestedMode]: suggested }));
          setMode(suggestedMode);
        }}
      />
      <Tabs
        value={mode}
        onChange={(_e, value) => setMode(value)}
        indicatorColor="primary"
        aria-label="Ways to request"
        style={{ marginBottom: 16 }}
      >
        <Tab value="resource" label="By resource" />
        <Tab value="app" label="By app" />
        <Tab value="bundle" label="By bundle" />
      </Tabs>
      <div role="tabpanel" aria-label={MODE_LABELS[mode]}>
        {mode === 'resource' && (
          <ByResource
            items={selections.resource.items}
            onChange={items => setSelection({ items })}
          />
        )}
        {mode === 'app' && (
          <ByApp onChange={items => setSelection({ items })} />
        )}
        {mode === 'bundle' && (
          <ByBundle selection={selections.bundle} onChange={setSelection} />
        )}
      </div>
      <div
        style={{
          display: 'flex',
          gap: 16,
          alignItems: 'center',
          marginTop: 24,
        }}
      >
        <Button
          variant="contained"
          color="primary"
          disabled={selection.items.length === 0}
          onClick={() => setStep('details')}
        >
          Next
        </Button>
        <Typography variant="body2" color="textSecondary">
          {selection.items.length === 0
            ? 'Select what you need first.'
            : `${selection.items.length} selected`}
        </Typography>
      </div>
    </InfoCard>
  );
}
