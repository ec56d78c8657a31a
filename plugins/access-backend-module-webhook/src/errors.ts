/** An error-like value's message; not `instanceof`, which fails across realms. */
export function messageOf(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') {
      return message;
    }
  }
  return undefined;
}

/** The error a call ends with when its caller's signal is aborted. */
export function abortError(what: string, signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const reasonMessage = messageOf(reason);
  const error = new Error(
    `${what} was aborted${reasonMessage ? `: ${reasonMessage}` : ''}`,
    { cause: reason },
  );
  error.name = 'AbortError';
  return error;
}

/** `network error (ECONNREFUSED)`: the code only, without addresses. */
export function networkSummary(error: unknown): string {
  const cause =
    typeof error === 'object' && error !== null
      ? (error as { cause?: unknown }).cause
      : undefined;
  const code =
    typeof cause === 'object' && cause !== null
      ? (cause as { code?: unknown }).code
      : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)
    ? `network error (${code})`
    : 'network error';
}

/** `fetch failed: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9`, for the operators' log. */
export function networkReason(error: unknown): string {
  const message = messageOf(error) ?? String(error);
  const cause =
    typeof error === 'object' && error !== null
      ? (error as { cause?: unknown }).cause
      : undefined;
  const causeMessage = messageOf(cause);
  if (causeMessage === undefined) {
    return message;
  }
  const code = (cause as { code?: unknown }).code;
  const prefix =
    typeof code === 'string' && !causeMessage.includes(code) ? `${code} ` : '';
  return `${message}: ${prefix}${causeMessage}`;
}
