import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { PANEL_INSETS_REM } from './config.ts';
import { districtStore, loadDistrict } from './data/district-store.ts';
import { currentLanguage } from './i18n/index.ts';
import './styles/wall.css';

const root = document.documentElement;
root.lang = currentLanguage();
for (const [side, rem] of Object.entries(PANEL_INSETS_REM))
  root.style.setProperty(`--inset-${side}`, `${rem}rem`);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

void loadDistrict(districtStore);
