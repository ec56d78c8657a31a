import { useApiHolder } from '@backstage/core-plugin-api';
import {
  appLanguageApiRef,
  TranslationFunction,
  useTranslationRef,
} from '@backstage/core-plugin-api/alpha';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { DateTime } from 'luxon';
import { useMemo } from 'react';
import { accessTranslationRef } from '../../translation';
import {
  formatDateTime,
  formatIsoDuration,
  formatList,
  formatNumber,
  formatRelative,
  formatRemaining,
  statusLabel,
  summariseItems,
} from './format';

/** The plugin's translation function. */
export type AccessT = TranslationFunction<typeof accessTranslationRef.T>;

/**
 * The locale for dates, numbers and lists: the browser's preferred locale that speaks the app's
 * language (an en-GB browser in an English app gets day-month dates), else the app's language
 * (a German app shows German dates), else the browser's locale.
 */
export function pickLocale(
  appLanguage: string | undefined,
  browserLocales: readonly string[],
): string {
  const supported = browserLocales.filter(isSupportedLocale);
  if (!appLanguage) {
    return supported[0] ?? 'en-US';
  }
  const primary = (tag: string) => tag.split('-')[0].toLocaleLowerCase('en-US');
  return (
    supported.find(tag => primary(tag) === primary(appLanguage)) ??
    (isSupportedLocale(appLanguage) ? appLanguage : supported[0] ?? 'en-US')
  );
}

function isSupportedLocale(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

function navigatorLocales(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length
    ? navigator.languages
    : [navigator.language].filter(Boolean);
}

/** The viewer's locale (see `pickLocale`), following the app's language when it changes. */
export function useLocale(): string {
  const languageApi = useApiHolder().get(appLanguageApiRef);
  const language = languageApi?.getLanguage().language;
  return useMemo(() => pickLocale(language, navigatorLocales()), [language]);
}

/** Formatting bound to the viewer's locale and the plugin's messages. */
export interface Formatters {
  dateTime(iso?: string): string;
  relative(iso?: string, now?: DateTime): string;
  duration(iso?: string): string;
  /** Undefined once past. */
  remaining(iso: string, now?: DateTime): string | undefined;
  number(value: number): string;
  list(values: string[]): string;
  status(status: RequestStatus): string;
  /** Resources and permissions, each resource named by `title` (see `useEntityTitles`). */
  items(
    items: { resourceRef: string; permission: string }[],
    title: (entityRef: string) => string,
    shown?: number,
  ): string;
}

export function createFormatters(locale: string, t: AccessT): Formatters {
  return {
    dateTime: iso => formatDateTime(iso, locale),
    relative: (iso, now) => formatRelative(iso, locale, now),
    duration: iso => formatIsoDuration(iso, locale),
    remaining: (iso, now) => formatRemaining(iso, locale, now),
    number: value => formatNumber(value, locale),
    list: values => formatList(values, locale),
    status: status => statusLabel(status, t),
    items: (items, title, shown) =>
      summariseItems(items, title, t, locale, shown),
  };
}

/**
 * The plugin's messages (`t`) in the app's language and the viewer's locale with formatters
 * bound to both.
 */
export function useAccessTranslation(): {
  t: AccessT;
  locale: string;
  format: Formatters;
} {
  const { t } = useTranslationRef(accessTranslationRef);
  const locale = useLocale();
  const format = useMemo(() => createFormatters(locale, t), [locale, t]);
  return { t, locale, format };
}
