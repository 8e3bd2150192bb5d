/**
 * The operator's inbox: the open cases of their area under one heading per state of the loop, with
 * filters (state, level, overdue), a ticking timer per case, bulk assignment of classified cases, and
 * the hazard page beside the queue. Rows come from the list once and follow the live stream after.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HAZARD_LEVELS } from '../../../shared/src/hazard-workflow.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { viewStore, type ViewState } from '../app/view.ts';
import { session, sessionStore } from '../auth/page-session.ts';
import type { SessionState } from '../auth/session-store.ts';
import { districtStore, type DistrictState } from '../data/district-store.ts';
import { formatNumber } from '../i18n/format.ts';
import { liveStore } from '../live/live-store.ts';
import { bulkAssign, type BulkResult } from './bulk-assign.ts';
import { actOnHazard, getHazard } from './hazard-api.ts';
import { HazardPage } from './hazard-page.tsx';
import { inboxStore, type InboxState } from './inbox-store.ts';
import { placeNames, type PlaceNames } from './place-names.ts';
import { mayTake, principalOf } from './principal.ts';
import {
  groupQueue,
  NO_FILTERS,
  OPEN_STATES,
  queueCounts,
  type InboxFilters,
  type InboxHazard,
} from './queue.ts';
import { TimerBadge } from './timer-badge.tsx';
import { useFailureText } from './use-failure-text.ts';
import { useNow } from './use-now.ts';
import '../styles/inbox.css';

const selectUser = (state: SessionState) => state.session?.user ?? null;
const selectInbox = (state: InboxState) => state;
const selectDatasets = (state: DistrictState) => state.datasets;
const selectHazardId = (state: ViewState) => state.hazardId;

const openHazard = (hazardId: number | null) => viewStore.show({ view: 'inbox', hazardId });

interface RowProps {
  row: InboxHazard;
  now: Date;
  names: PlaceNames;
  active: boolean;
  selectable: boolean;
  selected: boolean;
  onSelect(selected: boolean): void;
}

function QueueRow({ row, now, names, active, selectable, selected, onSelect }: RowProps) {
  const { t } = useTranslation();
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) openHazard(row.id);
  };
  const grid = names.grid(row.gridCode);
  return (
    <tr
      className={`queue-row${active ? ' queue-row-active' : ''}`}
      data-testid="inbox-row"
      data-id={row.id}
      data-state={row.state}
      tabIndex={0}
      aria-selected={active}
      onClick={() => openHazard(row.id)}
      onKeyDown={onKeyDown}
    >
      <td className="queue-select" onClick={(event) => event.stopPropagation()}>
        {selectable && (
          <input
            type="checkbox"
            data-testid="inbox-select"
            aria-label={t('inbox.columns.select')}
            checked={selected}
            onChange={(event) => onSelect(event.target.checked)}
          />
        )}
      </td>
      <td>{t(`enums.category.${row.category}`)}</td>
      <td className="queue-title">
        <span className="queue-id">#{row.id}</span> {row.title}
        {row.supervised && (
          <span className="queue-supervised" data-testid="inbox-supervised">
            {t('inbox.supervised')}
          </span>
        )}
      </td>
      <td className="queue-place">
        {names.village(row.villageCode)}
        {grid && <span className="queue-grid"> · {grid}</span>}
      </td>
      <td className={`queue-severity severity-${row.severity ?? 'none'}`}>
        {t(`inbox.severities.${row.severity ?? 'none'}`)}
      </td>
      <td>{t(`inbox.levels.${row.level}`)}</td>
      <td>
        <TimerBadge hazard={row} now={now} />
      </td>
    </tr>
  );
}

function Filters({
  filters,
  onChange,
  counts,
}: {
  filters: InboxFilters;
  onChange(filters: InboxFilters): void;
  counts: ReturnType<typeof queueCounts>;
}) {
  const { t, i18n } = useTranslation();
  const count = (value: number) => formatNumber(value, i18n.language);
  return (
    <div className="inbox-filters" role="group" aria-label={t('inbox.filters.label')}>
      <div className="inbox-chips" role="radiogroup" aria-label={t('inbox.filters.state')}>
        {(['all', ...OPEN_STATES] as const).map((state) => (
          <button
            key={state}
            type="button"
            role="radio"
            aria-checked={filters.state === state}
            className={`chip${filters.state === state ? ' chip-on' : ''}`}
            data-testid={`inbox-filter-state-${state}`}
            onClick={() => onChange({ ...filters, state })}
          >
            {state === 'all' ? t('inbox.filters.all') : t(`inbox.states.${state}`)}{' '}
            <span className="chip-count">{count(counts[state])}</span>
          </button>
        ))}
      </div>
      <label className="inbox-level">
        {t('inbox.filters.level')}
        <select
          data-testid="inbox-filter-level"
          value={filters.level}
          onChange={(event) => onChange({ ...filters, level: event.target.value as InboxFilters['level'] })}
        >
          <option value="all">{t('inbox.filters.allLevels')}</option>
          {HAZARD_LEVELS.map((level) => (
            <option key={level} value={level}>
              {t(`inbox.levels.${level}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={`chip chip-overdue${filters.overdueOnly ? ' chip-on' : ''}`}>
        <input
          type="checkbox"
          data-testid="inbox-filter-overdue"
          checked={filters.overdueOnly}
          onChange={(event) => onChange({ ...filters, overdueOnly: event.target.checked })}
        />
        {t('inbox.filters.overdue')} <span className="chip-count">{count(counts.overdue)}</span>
      </label>
    </div>
  );
}

function BulkAssignBar({ targets, onDone }: { targets: InboxHazard[]; onDone(results: BulkResult[]): void }) {
  const { t } = useTranslation();
  const [responsible, setResponsible] = useState('');
  const [sending, setSending] = useState(false);
  if (targets.length === 0) return null;
  return (
    <form
      className="bulk-bar"
      data-testid="bulk-bar"
      onSubmit={(event) => {
        event.preventDefault();
        if (sending || responsible.trim() === '') return;
        setSending(true);
        void bulkAssign(
          targets,
          responsible,
          (id, body) => actOnHazard(session.fetch, id, body),
          (result) => {
            if (result.ok) inboxStore.put(result.hazard);
          },
        ).then((results) => {
          setSending(false);
          onDone(results);
        });
      }}
    >
      <span data-testid="bulk-count">{t('inbox.bulk.selected', { count: targets.length })}</span>
      <label>
        {t('inbox.bulk.responsible')}
        <input
          type="text"
          data-testid="bulk-responsible"
          maxLength={200}
          value={responsible}
          onChange={(event) => setResponsible(event.target.value)}
        />
      </label>
      <button
        type="submit"
        className="button button-primary"
        data-testid="bulk-assign"
        disabled={sending || responsible.trim() === ''}
      >
        {sending ? t('inbox.bulk.assigning') : t('inbox.bulk.assign')}
      </button>
      <button type="button" className="button" onClick={() => onDone([])}>
        {t('inbox.bulk.clear')}
      </button>
    </form>
  );
}

function BulkResults({ results, onClose }: { results: BulkResult[]; onClose(): void }) {
  const { t } = useTranslation();
  const failureText = useFailureText();
  if (results.length === 0) return null;
  const failed = results.filter((result) => !result.ok).length;
  return (
    <div className="bulk-results" role="status" data-testid="bulk-results">
      <div className="bulk-summary">
        {t('inbox.bulk.summary', { ok: results.length - failed, failed })}
        <button type="button" className="button" aria-label={t('hazard.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <ul>
        {results.map((result) => (
          <li
            key={result.id}
            className={result.ok ? 'bulk-ok' : 'bulk-failed'}
            data-testid="bulk-result"
            data-id={result.id}
            data-ok={result.ok}
          >
            {result.ok
              ? t('inbox.bulk.ok', { id: result.id })
              : t('inbox.bulk.failed', { id: result.id, reason: failureText(result.failure) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function InboxView() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const user = useStoreSelector(sessionStore, selectUser);
  const inbox = useStoreSelector(inboxStore, selectInbox);
  const datasets = useStoreSelector(districtStore, selectDatasets);
  const hazardId = useStoreSelector(viewStore, selectHazardId);
  const names = useMemo(() => placeNames(datasets), [datasets]);
  const principal = useMemo(() => (user ? principalOf(user) : null), [user]);
  const [filters, setFilters] = useState<InboxFilters>(NO_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [results, setResults] = useState<BulkResult[]>([]);

  const userId = user?.id;
  useEffect(() => {
    inboxStore.reset();
    void inboxStore.load(session.fetch);
    return inboxStore.follow(liveStore, (id) => getHazard(session.fetch, id));
  }, [userId]);

  const rows = inbox.rows;
  const groups = groupQueue(rows.values(), filters, now);
  const counts = queueCounts(rows.values(), filters.level, now);
  const assignable = (row: InboxHazard) => principal !== null && mayTake(principal, row, 'assign', now);
  // a selected case that moved on (assigned by someone, escalated) leaves the selection by itself
  const targets = [...selected].flatMap((id) => {
    const row = rows.get(id);
    return row && assignable(row) ? [row] : [];
  });
  const select = (id: number, on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <main className="inbox" data-testid="inbox" data-status={inbox.status}>
      <section className="panel inbox-queue" aria-labelledby="inbox-title">
        <header className="inbox-header">
          <h2 id="inbox-title">{t('inbox.title')}</h2>
          <span className="inbox-count" data-testid="inbox-count">
            {t('inbox.count', { count: counts.all })}
          </span>
        </header>
        <Filters filters={filters} onChange={setFilters} counts={counts} />
        <BulkAssignBar
          targets={targets}
          onDone={(done) => {
            setResults(done);
            setSelected(new Set());
          }}
        />
        <BulkResults results={results} onClose={() => setResults([])} />
        {inbox.status === 'loading' && rows.size === 0 && (
          <p className="hazard-muted">{t('inbox.loading')}</p>
        )}
        {inbox.status === 'failed' && (
          <p className="hazard-error" role="alert">
            {t('inbox.loadFailed', { message: inbox.error })}{' '}
            <button type="button" className="button" onClick={() => void inboxStore.load(session.fetch)}>
              {t('inbox.retry')}
            </button>
          </p>
        )}
        {inbox.status === 'ready' && groups.length === 0 && (
          <p className="hazard-muted" data-testid="inbox-empty">
            {t('inbox.empty')}
          </p>
        )}
        <div className="inbox-groups">
          {groups.map((group) => (
            <section key={group.state} className="queue-group" data-testid={`inbox-group-${group.state}`}>
              <h3>
                {t(`inbox.states.${group.state}`)} <span className="chip-count">{group.rows.length}</span>
              </h3>
              <table className="queue">
                <thead>
                  <tr>
                    <th className="queue-select" />
                    <th>{t('inbox.columns.category')}</th>
                    <th>{t('inbox.columns.title')}</th>
                    <th>{t('inbox.columns.place')}</th>
                    <th>{t('inbox.columns.severity')}</th>
                    <th>{t('inbox.columns.level')}</th>
                    <th>{t('inbox.columns.timer')}</th>
                  </tr>
                </thead>
                <tbody>
                  {group.rows.map((row) => (
                    <QueueRow
                      key={row.id}
                      row={row}
                      now={now}
                      names={names}
                      active={row.id === hazardId}
                      selectable={assignable(row)}
                      selected={selected.has(row.id)}
                      onSelect={(on) => select(row.id, on)}
                    />
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </section>
      {hazardId === null ? (
        <section className="panel hazard-page hazard-page-empty">
          <p className="hazard-muted">{t('hazard.select')}</p>
        </section>
      ) : (
        <HazardPage
          id={hazardId}
          now={now}
          rowVersion={rows.get(hazardId)?.version}
          onClose={() => openHazard(null)}
        />
      )}
    </main>
  );
}
