/**
 * One hazard: what was reported (description, photos, where on the map), its timeline, and a button for
 * each step the server says the viewer may take now. A step answered 409 (someone else moved the case
 * first) reloads the hazard and says so; a live event that moves the case reloads it too.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isOverdue, type HazardAction } from '../../../shared/src/hazard-workflow.ts';
import type { HazardCover } from '../../../shared/src/schemas/coverage.ts';
import type {
  HazardActionBody,
  HazardDetail,
  HazardPhotoView,
  HazardStepView,
} from '../../../shared/src/schemas/hazards.ts';
import { session } from '../auth/page-session.ts';
import { formatNumber } from '../i18n/format.ts';
import { ActionDialog } from './action-dialog.tsx';
import { failureOf } from './bulk-assign.ts';
import { actOnHazard, getAssignees, getHazard, getHazardCover } from './hazard-api.ts';
import { HazardPhotos } from './hazard-photos.tsx';
import { inboxStore } from './inbox-store.ts';
import { TimerBadge } from './timer-badge.tsx';
import { useFailureText } from './use-failure-text.ts';

const HazardMap = lazy(() => import('./hazard-map.tsx'));

export function formatTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

function Step({ step, photos }: { step: HazardStepView; photos: readonly HazardPhotoView[] }) {
  const { t, i18n } = useTranslation();
  const state = (value: string | null) => (value ? t(`inbox.states.${value}`) : '');
  const level = (value: string | null) => (value ? t(`inbox.levels.${value}`) : '');
  // the report itself starts the case: nothing moved
  const moved =
    step.fromState !== null && (step.fromState !== step.toState || step.fromLevel !== step.toLevel);
  return (
    <li className="timeline-step" data-testid="timeline-step" data-action={step.action}>
      <time className="timeline-time">{formatTime(step.at, i18n.language)}</time>
      <div className="timeline-body">
        <div>
          <strong className="timeline-action">{t(`hazard.actionNames.${step.action}`)}</strong>{' '}
          <span className="timeline-actor">
            {t('hazard.step', {
              actor: step.actor,
              role: t(`inbox.roles.${step.actorRole}`, { defaultValue: step.actorRole }),
            })}
          </span>
        </div>
        {moved && (
          <div className="timeline-move">
            {step.fromState !== step.toState &&
              t('hazard.stepMove', { from: state(step.fromState) || '—', to: state(step.toState) })}
            {step.fromState !== step.toState && step.fromLevel !== step.toLevel && ' · '}
            {step.fromLevel !== step.toLevel &&
              t('hazard.stepMove', { from: level(step.fromLevel) || '—', to: level(step.toLevel) })}
            {step.department && ` · ${t(`inbox.departments.${step.department}`)}`}
          </div>
        )}
        {step.note && <div className="timeline-note">{step.note}</div>}
        {step.deadline && (
          <div className="timeline-deadline">
            {t('hazard.stepDeadline', { time: formatTime(step.deadline, i18n.language) })}
          </div>
        )}
        {photos.length > 0 && <HazardPhotos photos={photos} />}
      </div>
    </li>
  );
}

function Fields({ hazard, now }: { hazard: HazardDetail; now: Date }) {
  const { t, i18n } = useTranslation();
  const rows: Array<[string, string]> = [
    ['state', t(`inbox.states.${hazard.state}`)],
    ['level', t(`inbox.levels.${hazard.level}`)],
    ['severity', t(`inbox.severities.${hazard.severity ?? 'none'}`)],
    ['category', t(`enums.category.${hazard.category}`)],
    ['place', [hazard.villageName, hazard.gridName].filter(Boolean).join(' · ')],
    ['reporter', hazard.reporter],
    ['reportedAt', formatTime(hazard.reportedAt, i18n.language)],
  ];
  if (hazard.department) rows.push(['department', t(`inbox.departments.${hazard.department}`)]);
  if (hazard.responsible) rows.push(['responsible', hazard.responsible]);
  if (hazard.assignee) rows.push(['assignee', hazard.assignee.name]);
  return (
    <dl className="hazard-fields">
      {rows.map(([key, value]) => (
        <div key={key} data-testid={`hazard-field-${key}`}>
          <dt>{t(`hazard.fields.${key}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      <div data-testid="hazard-field-deadline">
        <dt>{t('hazard.fields.deadline')}</dt>
        <dd>
          {hazard.deadline && `${formatTime(hazard.deadline, i18n.language)} `}
          <TimerBadge hazard={hazard} now={now} />
        </dd>
      </div>
    </dl>
  );
}

export interface HazardPageProps {
  id: number;
  now: Date;
  /** The version the inbox row has now (live events move it); a newer one reloads the page. */
  rowVersion: number | undefined;
  onClose(): void;
}

export function HazardPage({ id, now, rowVersion, onClose }: HazardPageProps) {
  const { t, i18n } = useTranslation();
  const failureText = useFailureText();
  const [hazard, setHazard] = useState<HazardDetail | null>(null);
  const [cover, setCover] = useState<HazardCover | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'conflict' | 'done'; text: string } | null>(null);
  // the version the operator saw when opening the form: a change meanwhile is theirs to see (409)
  const [action, setAction] = useState<{ name: HazardAction; version: number } | null>(null);
  const shownId = useRef(id);

  const reload = useCallback(async () => {
    try {
      const [detail, raised] = await Promise.all([
        getHazard(session.fetch, id),
        getHazardCover(session.fetch, id).catch(() => null),
      ]);
      if (shownId.current !== id) return;
      setHazard(detail);
      setCover(raised);
      setLoadError(null);
      inboxStore.put(detail);
    } catch (error) {
      if (shownId.current === id) setLoadError(failureOf(error).message);
    }
  }, [id]);

  useEffect(() => {
    shownId.current = id;
    setHazard(null);
    setLoadError(null);
    setNotice(null);
    setAction(null);
    void reload();
  }, [id, reload]);

  useEffect(() => {
    if (hazard && rowVersion !== undefined && rowVersion > hazard.version) void reload();
  }, [hazard, rowVersion, reload]);

  // past its deadline the case may be pressed (督查督办): ask the server again for the steps allowed now
  const overdue = hazard !== null && isOverdue(hazard, now);
  useEffect(() => {
    if (overdue) void reload();
  }, [overdue, reload]);

  const loadAssignees = useCallback(() => getAssignees(session.fetch, id), [session.fetch, id]);

  const submit = async (body: HazardActionBody, photos: File[]): Promise<string | null> => {
    try {
      const answer = await actOnHazard(session.fetch, id, body, photos);
      inboxStore.put(answer);
      setHazard(answer);
      setAction(null);
      setNotice({ kind: 'done', text: t('hazard.done', { action: t(`hazard.actionNames.${body.action}`) }) });
      return null;
    } catch (error) {
      const failure = failureOf(error);
      if (failure.kind !== 'conflict') return failureText(failure);
      setAction(null);
      await reload();
      setNotice({ kind: 'conflict', text: t('hazard.conflict') });
      return null;
    }
  };

  return (
    <section
      className="panel hazard-page"
      data-testid="hazard-page"
      data-id={id}
      aria-labelledby="hazard-title"
    >
      <header className="hazard-header">
        <h2 id="hazard-title" data-testid="hazard-title">
          #{formatNumber(id, i18n.language)} {hazard?.title ?? ''}
        </h2>
        <button type="button" className="button" data-testid="hazard-close" onClick={onClose}>
          {t('hazard.close')}
        </button>
      </header>
      {notice && (
        <p className={`hazard-notice hazard-notice-${notice.kind}`} role="status" data-testid="hazard-notice">
          {notice.text}
        </p>
      )}
      {!hazard && !loadError && <p className="hazard-muted">{t('hazard.loading')}</p>}
      {loadError && <p className="hazard-error">{t('hazard.loadFailed', { message: loadError })}</p>}
      {hazard && (
        <div className="hazard-body">
          <div className="hazard-actions" data-testid="hazard-actions">
            <h3>{t('hazard.actions')}</h3>
            {hazard.actions.length === 0 && <span className="hazard-muted">{t('hazard.noActions')}</span>}
            {hazard.actions.map((name) => (
              <button
                key={name}
                type="button"
                className={`button action-button action-${name}`}
                data-testid={`action-${name}`}
                onClick={() => {
                  setNotice(null);
                  setAction({ name, version: hazard.version });
                }}
              >
                {t(`hazard.actionNames.${name}`)}
              </button>
            ))}
          </div>
          {cover?.raised && (
            <p className="hazard-notice hazard-notice-conflict" data-testid="hazard-cover">
              {t('hazard.raised', {
                reasons: cover.reasons
                  .map((r) =>
                    t(`hazard.raisedReasons.${r}`, {
                      m:
                        cover.nearestHydrantM === null
                          ? '>1000'
                          : formatNumber(cover.nearestHydrantM, i18n.language),
                    }),
                  )
                  .join(t('hazard.raisedJoin')),
              })}
            </p>
          )}
          <Fields hazard={hazard} now={now} />
          <h3>{t('hazard.description')}</h3>
          <p className="hazard-description" data-testid="hazard-description">
            {hazard.description}
          </p>
          <div className="hazard-media">
            <div>
              <h3>{t('hazard.photos')}</h3>
              <HazardPhotos photos={hazard.photoList.filter((p) => p.step === 1)} />
            </div>
            <div>
              <h3>{t('hazard.map')}</h3>
              <Suspense fallback={<div className="hazard-map" />}>
                <HazardMap lon={hazard.lon} lat={hazard.lat} />
              </Suspense>
            </div>
          </div>
          <h3>{t('hazard.timeline')}</h3>
          <ol className="timeline" data-testid="timeline">
            {hazard.steps.map((step) => (
              <Step
                key={step.n}
                step={step}
                photos={step.n === 1 ? [] : hazard.photoList.filter((p) => p.step === step.n)}
              />
            ))}
          </ol>
        </div>
      )}
      {hazard && action && (
        <ActionDialog
          key={action.name}
          action={action.name}
          level={hazard.level}
          version={action.version}
          onSubmit={submit}
          onCancel={() => setAction(null)}
          loadAssignees={loadAssignees}
        />
      )}
    </section>
  );
}
