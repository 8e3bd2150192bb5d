/**
 * The dispatcher's desk: place the incident (click the map, or type its coordinates with their CRS),
 * see the nearest forces by road (ETA in minutes and seconds, road and straight distance, the faster
 * ones skipped and why), the water at the scene, tick the forces and confirm; the open dispatches with
 * a close button. Keys: Enter confirms, Escape clears the incident.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { INPUT_CRS, type InputCrs } from '../../../shared/src/schemas/geometry-input.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { ViewPanelHeader } from '../panels/view-panel.tsx';
import { formatNumber } from '../i18n/format.ts';
import { liveStore, type LiveState } from '../live/live-store.ts';
import { deskStore } from './desk-instance.ts';
import type { DeskState } from './desk-store.ts';

const selectDesk = (state: DeskState) => state;
const selectDispatches = (state: LiveState) => state.dispatches;

/** Seconds as m:ss (a dispatcher reads ETAs in minutes and seconds). */
export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function DeskPanel() {
  const { t, i18n } = useTranslation();
  const desk = useStoreSelector(deskStore, selectDesk);
  const open = useStoreSelector(liveStore, selectDispatches);
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [crs, setCrs] = useState<InputCrs>('wgs84');
  const km = (m: number) => formatNumber(Math.round(m / 100) / 10, i18n.language);

  // a click on the map fills the form with the placed point
  useEffect(() => {
    if (desk.incident) {
      setLon(String(desk.incident.lon));
      setLat(String(desk.incident.lat));
      setCrs(desk.incident.crs);
    }
  }, [desk.incident]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
      if (event.key === 'Enter') void deskStore.confirm();
      if (event.key === 'Escape') deskStore.reset();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      deskStore.reset();
    };
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const x = Number(lon);
    const y = Number(lat);
    if (Number.isFinite(x) && Number.isFinite(y)) void deskStore.place(x, y, crs);
  };
  const nearest = desk.nearest;
  return (
    <section className="panel desk-panel" data-testid="desk-panel" aria-label={t('desk.title')}>
      <ViewPanelHeader title={t('desk.title')} />
      <p className="desk-hint">{t('desk.hint')}</p>
      <form className="desk-form" onSubmit={submit}>
        <input
          aria-label={t('desk.lon')}
          placeholder={t('desk.lon')}
          data-testid="desk-lon"
          value={lon}
          onChange={(e) => setLon(e.target.value)}
        />
        <input
          aria-label={t('desk.lat')}
          placeholder={t('desk.lat')}
          data-testid="desk-lat"
          value={lat}
          onChange={(e) => setLat(e.target.value)}
        />
        <select
          aria-label={t('desk.crs')}
          data-testid="desk-crs"
          value={crs}
          onChange={(e) => setCrs(e.target.value as InputCrs)}
        >
          {INPUT_CRS.map((c) => (
            <option key={c} value={c}>
              {c.toUpperCase()}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="desk-search">
          {t('desk.search')}
        </button>
      </form>
      {desk.loading && <p>{t('desk.loading')}</p>}
      {desk.error && (
        <p className="desk-error" role="alert" data-testid="desk-error">
          {desk.error}
        </p>
      )}
      {nearest && (
        <>
          <p className="desk-snapped">
            {t('desk.snapped', {
              road:
                nearest.snapped.roadName ??
                t(`enums.roadClass.${nearest.snapped.roadClass}`, {
                  defaultValue: nearest.snapped.roadClass,
                }),
              m: Math.round(nearest.snapped.distanceM),
            })}
          </p>
          <ol className="desk-cards">
            {nearest.stations.map((s, i) => (
              <li
                key={s.id}
                className={`desk-card${i === 0 ? ' is-first' : ''}`}
                data-testid="desk-card"
                data-station={s.id}
              >
                <label>
                  <input
                    type="checkbox"
                    checked={desk.chosen.includes(s.id)}
                    onChange={() => deskStore.toggle(s.id)}
                  />
                  <span className="desk-card-rank">
                    {i === 0 ? t('desk.first') : t('desk.reinforcement')}
                  </span>
                  <span className="desk-card-name">{s.name}</span>
                  <span className="desk-card-eta">{formatEta(s.travelTimeS)}</span>
                </label>
                <span className="desk-card-detail">
                  {t(`enums.tier.${s.tier}`)} · {t('desk.road', { km: km(s.distanceM) })} ·{' '}
                  {t('desk.straight', { km: km(s.straightLineM) })}
                </span>
              </li>
            ))}
          </ol>
          {nearest.skipped.length > 0 && (
            <ul className="desk-skipped">
              {nearest.skipped.map((s) => (
                <li key={s.id}>
                  {t('desk.skipped', {
                    name: s.name,
                    eta: formatEta(s.travelTimeS),
                    reason: t(`enums.stationStatus.${s.status}`),
                  })}
                </li>
              ))}
            </ul>
          )}
          <h3 className="live-subtitle">{t('desk.water')}</h3>
          <ul className="desk-water" data-testid="desk-water">
            {nearest.waterSources.map((w) => (
              <li key={w.id}>
                {t(`enums.waterKind.${w.kind}`, { defaultValue: w.kind })} {w.name ?? w.id} ·{' '}
                {Math.round(w.straightLineM)} m
                {w.hoseDistanceM !== null ? ` · ${t('desk.hose', { m: Math.round(w.hoseDistanceM) })}` : ''}
              </li>
            ))}
          </ul>
          <h3 className="live-subtitle">{t('desk.scene')}</h3>
          <div className="desk-scene" data-testid="desk-scene">
            {nearest.scene.enterprise ? (
              <p>
                {t(`enums.risk.${nearest.scene.enterprise.risk}`, {
                  defaultValue: nearest.scene.enterprise.risk,
                })}{' '}
                · {nearest.scene.enterprise.name} · {Math.round(nearest.scene.enterprise.distanceM)} m
                {nearest.scene.enterprise.board
                  ? ` · ${t('desk.board', {
                      first: nearest.scene.enterprise.board.firstResponsible,
                      manager: nearest.scene.enterprise.board.safetyManager,
                      phone: nearest.scene.enterprise.board.safetyManagerPhone,
                    })}${nearest.scene.enterprise.board.overdue ? ` ▲ ${t('desk.boardOverdue')}` : ''}`
                  : ` · ${t('desk.noBoard')}`}
              </p>
            ) : (
              <p>{t('desk.noEnterprise')}</p>
            )}
            <p>{t('desk.hazards', { n: nearest.scene.openHazards.length })}</p>
          </div>
          {nearest.warnings.map((w) => (
            <p key={w} className="desk-warning" role="alert">
              ▲ {w}
            </p>
          ))}
          <button
            type="button"
            className="desk-confirm"
            data-testid="desk-confirm"
            disabled={desk.chosen.length === 0 || desk.sending}
            onClick={() => void deskStore.confirm()}
          >
            {t('desk.confirm', { n: desk.chosen.length })}
          </button>
        </>
      )}
      {desk.confirmed && (
        <p className="desk-confirmed" data-testid="desk-confirmed">
          {t('desk.confirmed', { id: desk.confirmed.id })}
        </p>
      )}
      <h3 className="live-subtitle">{t('desk.open')}</h3>
      <ul className="desk-open" data-testid="desk-open">
        {open.length === 0 && <li>{t('desk.none')}</li>}
        {open.map((d) => (
          <li key={d.id} data-testid="desk-open-item" data-dispatch={d.id}>
            #{d.id} {d.forces.map((f) => f.name).join('、')}
            <button type="button" data-testid="desk-close" onClick={() => void deskStore.close(d.id)}>
              {t('desk.close')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
