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
import { useAccessTranslation } from '../shared/i18n';
import { ByApp } from './ByApp';
import { ByBundle } from './ByBundle';
import { ByResource } from './ByResource';
import { DescribeNeed } from './DescribeNeed';
import { DetailsStep } from './DetailsStep';
import { EMPTY_SELECTION, itemKey, Selection } from './selection';
import { SubmissionResultView } from './SubmissionResultView';

type Mode = 'resource' | 'app' | 'bundle';
type Step = 'select' | 'details' | 'done';

const MODE_KEYS = {
  resource: 'newRequest.modes.resource',
  app: 'newRequest.modes.app',
  bundle: 'newRequest.modes.bundle',
} as const satisfies Record<Mode, string>;

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
  const { t, format } = useAccessTranslation();
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
      <InfoCard title={t('newRequest.detailsTitle')}>
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
    <InfoCard title={t('newRequest.title')}>
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
        aria-label={t('newRequest.modes.label')}
        style={{ marginBottom: 16 }}
      >
        <Tab value="resource" label={t('newRequest.modes.byResource')} />
        <Tab value="app" label={t('newRequest.modes.byApp')} />
        <Tab value="bundle" label={t('newRequest.modes.byBundle')} />
      </Tabs>
      <div role="tabpanel" aria-label={t(MODE_KEYS[mode])}>
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
          {t('newRequest.next')}
        </Button>
        <Typography variant="body2" color="textSecondary">
          {selection.items.length === 0
            ? t('newRequest.selectFirst')
            : t('newRequest.selected', {
                count: selection.items.length,
                number: format.number(selection.items.length),
              })}
        </Typography>
      </div>
    </InfoCard>
  );
}
