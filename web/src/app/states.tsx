/** The loading and error states every page shows while its data comes, or when it cannot. */
import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function Loading({ label }: { readonly label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state-loading" role="status" aria-live="polite">
      <Spin />
      <span>{label ?? t('app.loading')}</span>
    </div>
  );
}

/** The message a person may read: the server's own words for API errors, a plain sentence otherwise. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.message;
  return fallback;
}

export function ErrorState({ error, onRetry }: { readonly error: unknown; readonly onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('app.errorTitle')}
      subTitle={<span role="alert">{errorMessage(error, t('app.errorTitle'))}</span>}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

interface QueryLike<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly isPending: boolean;
  readonly isError: boolean;
  refetch: () => unknown;
}

/** Renders a query's data, or its loading or error state. */
export function QueryView<T>({
  query,
  children,
  loadingLabel,
}: {
  readonly query: QueryLike<T>;
  readonly children: (data: T) => ReactNode;
  readonly loadingLabel?: string;
}) {
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined)
    return <Loading {...(loadingLabel ? { label: loadingLabel } : {})} />;
  return <>{children(query.data)}</>;
}
