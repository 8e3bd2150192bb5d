import { useTranslation } from 'react-i18next';

export function Attribution() {
  const { t } = useTranslation();
  return (
    <footer className="attribution" data-testid="attribution">
      <span>{t('attribution.boundaries')}</span>
      <span>{t('attribution.divisions')}</span>
    </footer>
  );
}
