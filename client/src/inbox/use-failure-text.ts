import { useTranslation } from 'react-i18next';
import type { RowFailure } from './bulk-assign.ts';

/** A refused step in the operator's words (409: someone else changed it). */
export function useFailureText(): (failure: RowFailure) => string {
  const { t } = useTranslation();
  return (failure) => t(`inbox.errors.${failure.kind}`, { message: failure.message });
}
