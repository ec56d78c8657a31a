import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import { useEffect, useState } from 'react';
import { useAccessTranslation } from './i18n';

/** Re-renders every `everyMs` with the current time. */
export function useNow(everyMs = 1000): DateTime {
  const [now, setNow] = useState(() => DateTime.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(DateTime.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Time left until `endAt`. The visible text ticks every second; screen readers get the end time
 * in the label instead of a value changing every second.
 */
export function Countdown(props: { endAt: string }) {
  const now = useNow();
  const { t, format } = useAccessTranslation();
  const remaining = format.remaining(props.endAt, now);
  return (
    <Typography
      component="span"
      variant="body2"
      aria-label={t('shared.countdown.ariaLabel', {
        time: format.dateTime(props.endAt),
      })}
      role="timer"
    >
      {remaining
        ? t('shared.countdown.left', { remaining })
        : t('shared.countdown.ended')}
    </Typography>
  );
}
