import { EmptyState, Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import { Alert } from '@material-ui/lab';
import { ReactNode } from 'react';
import { errorSentence } from './errors';
import { useAccessTranslation } from './i18n';

/** An error as an alert that says what failed and offers to try again. */
export function ErrorNotice(props: {
  error: unknown;
  what: string;
  onRetry?: () => void;
}) {
  const { error, what, onRetry } = props;
  const { t } = useAccessTranslation();
  return (
    <Alert
      severity="error"
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t('shared.tryAgain')}
          </Button>
        )
      }
    >
      {t('shared.couldNotLoad', { what, error: errorSentence(error, t) })}
    </Alert>
  );
}

/**
 * The loading, error and empty states of a list, designed once: renders them when one applies and
 * `children` otherwise. Loading with something to show (a reload) keeps showing it.
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
  const { t } = useAccessTranslation();
  if (loading && empty) {
    return (
      <div aria-busy="true" aria-label={t('shared.loadingWhat', { what })}>
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
  // Loading again (a filter changed): what is shown stays, under a progress bar, so that the
  // focus and the place of someone reading it are kept until the new list replaces it. The same
  // shape either way, so that React keeps the rows rather than mounting them again.
  return (
    <>
      {loading && (
        <LinearProgress aria-label={t('shared.loadingWhat', { what })} />
      )}
      {props.children}
    </>
  );
}

/** "Load more" under a paginated list. */
export function LoadMoreButton(props: {
  hasMore: boolean;
  loading: boolean;
  onClick: () => void;
  what: string;
}) {
  const { t } = useAccessTranslation();
  if (!props.hasMore) {
    return null;
  }
  return (
    <Button
      variant="outlined"
      onClick={props.onClick}
      disabled={props.loading}
      aria-label={t('shared.loadMoreWhat', { what: props.what })}
      style={{ marginTop: 16 }}
    >
      {props.loading ? t('shared.loading') : t('shared.loadMore')}
    </Button>
  );
}
