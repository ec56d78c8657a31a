import { EmptyState, Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import { Alert } from '@material-ui/lab';
import { ReactNode } from 'react';
import { errorSentence } from './errors';

/** An error as an alert that says what failed and offers to try again. */
export function ErrorNotice(props: {
  error: unknown;
  what: string;
  onRetry?: () => void;
}) {
  const { error, what, onRetry } = props;
  return (
    <Alert
      severity="error"
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    >
      Could not load {what}. {errorSentence(error)}
    </Alert>
  );
}

/**
 * The loading, error and empty states of a list, designed once: renders them when one applies and
 * `children` otherwise.
 */
export function ListStates(props: {
  loading: boolean;
  error?: unknown;
  empty: boolean;
  what: string;
  emptyTitle: string;
  emptyDescription?: string;
  emptyAction?: JSX.Element;
  onRetry?: () => void;
  children: ReactNode;
}) {
  const { loading, error, empty, what } = props;
  if (loading) {
    return (
      <div aria-busy="true" aria-label={`Loading ${what}`}>
        <Progress />
      </div>
    );
  }
  if (error) {
    return <ErrorNotice error={error} what={what} onRetry={props.onRetry} />;
  }
  if (empty) {
    return (
      <EmptyState
        missing="data"
        title={props.emptyTitle}
        description={props.emptyDescription}
        action={props.emptyAction}
      />
    );
  }
  return <>{props.children}</>;
}

/** "Load more" under a paginated list. */
export function LoadMoreButton(props: {
  hasMore: boolean;
  loading: boolean;
  onClick: () => void;
  what: string;
}) {
  if (!props.hasMore) {
    return null;
  }
  return (
    <Button
      variant="outlined"
      onClick={props.onClick}
      disabled={props.loading}
      aria-label={`Load more ${props.what}`}
      style={{ marginTop: 16 }}
    >
      {props.loading ? 'Loading…' : 'Load more'}
    </Button>
  );
}
