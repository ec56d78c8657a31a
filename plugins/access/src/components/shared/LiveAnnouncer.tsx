import { useSignal } from '@backstage/plugin-signals-react';
import {
  ACCESS_SIGNAL_CHANNEL,
  AccessRequestSignal,
} from '@jit-access/plugin-access-common';
import { CSSProperties } from 'react';
import { statusLabel } from './format';
import { AccessT, useAccessTranslation } from './i18n';

/** Read by screen readers, not shown. */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

/** The sentence announced when a request the viewer follows changes. */
export function announcement(signal: AccessRequestSignal, t: AccessT): string {
  return t('shared.liveAnnouncement', {
    status: statusLabel(signal.status, t),
  });
}

/**
 * Tells screen readers, politely, when a request changes while the page is open (the pages
 * refresh on the same signals, which a screen reader would not notice otherwise).
 */
export function LiveAnnouncer() {
  const { lastSignal } = useSignal<AccessRequestSignal>(ACCESS_SIGNAL_CHANNEL);
  const { t } = useAccessTranslation();
  return (
    <div role="status" aria-live="polite" style={visuallyHidden}>
      {lastSignal ? announcement(lastSignal, t) : ''}
    </div>
  );
}
