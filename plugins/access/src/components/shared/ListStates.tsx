import { EmptyState, Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
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
  const { t } = useAccessTranslation();
  if (loading) {
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
  return <>{props.children}</>;
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
