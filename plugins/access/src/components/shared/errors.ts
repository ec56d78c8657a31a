import type { AccessT } from './i18n';

/**
 * Reading the backend's error answers. The client throws a ResponseError whose own message is
 * generic ("Request failed with 409 Conflict"); people need the backend's message instead, e.g.
 * who already decided a request.
 */
export interface ApiErrorInfo {
  status?: number;
  message: string;
}

export function describeError(error: unknown): ApiErrorInfo {
  const e = error as {
    statusCode?: number;
    message?: string;
    body?: { error?: { message?: string } };
    cause?: { message?: string };
  };
  const message =
    e?.body?.error?.message ?? e?.cause?.message ?? e?.message ?? String(error);
  return { status: e?.statusCode, message };
}

/** A sentence for an error, prefixed by what the status means to the person. */
export function errorSentence(error: unknown, t: AccessT): string {
  const { status, message } = describeError(error);
  switch (status) {
    case 403:
      return t('shared.errors.forbidden', { message });
    case 404:
      return t('shared.errors.notFound', { message });
    case 409:
      return t('shared.errors.conflict', { message });
    default:
      return message;
  }
}
