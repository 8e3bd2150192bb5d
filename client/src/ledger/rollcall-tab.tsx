/**
 * The video roll-call tab (视频点名) of the ledger view: the day's draw of skid-mounted stations (a third
 * a day, each once in a three-day cycle), a card per station whose video stream plays in it when one is
 * set (a clear card when not), the result once recorded (also when another screen records it), and for the command centre the three outcomes to
 * record; under it the month's figures per station.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLLCALL_ROLES } from '../../../shared/src/auth.ts';
import { ROLLCALL_OUTCOMES, type RollcallEntry } from '../../../shared/src/schemas/rollcall.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { sessionStore } from '../auth/page-session.ts';
import type { SessionState } from '../auth/session-store.ts';
import { formatNumber } from '../i18n/format.ts';
import { ledgerStore } from './ledger-instance.ts';
import { RollcallPlayer } from './rollcall-player.tsx';
import type { LedgerState } from './ledger-store.ts';

const RECORDING_ROLES: readonly string[] = ROLLCALL_ROLES;

const selectLedger = (state: LedgerState) => state;
const selectRole = (state: SessionState) => state.session?.user.role ?? null;

interface CardProps {
  entry: RollcallEntry;
  mayRecord: boolean;
  /** its video plays in the card (one card at a time) */
  playing: boolean;
  onPlay(playing: boolean): void;
}

function StationCard({ entry, mayRecord, playing, onPlay }: CardProps) {
  const { t, i18n } = useTranslation();
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const result = entry.result;
  return (
    <li
      className="rollcall-card"
      data-testid="rollcall-card"
      data-code={entry.code}
      data-outcome={result?.outcome ?? ''}
    >
      <div className="rollcall-head">
        <strong>{entry.name}</strong>
        <span className="desk-hint">{t(`rollcall.status.${entry.status}`)}</span>
      </div>
      {entry.streamUrl ? (
        <>
          <div className="rollcall-stream-actions">
            <button
              type="button"
              className={playing ? 'is-active' : undefined}
              aria-pressed={playing}
              data-testid="rollcall-play"
              onClick={() => onPlay(!playing)}
            >
              {playing ? t('rollcall.player.stop') : t('rollcall.player.call')}
            </button>
            <a
              className="rollcall-stream"
              href={entry.streamUrl}
              target="_blank"
              rel="noreferrer"
              data-testid="rollcall-stream"
            >
              {t('rollcall.openStream')}
            </a>
          </div>
          {playing && <RollcallPlayer url={entry.streamUrl} />}
        </>
      ) : (
        <p className="rollcall-nostream" data-testid="rollcall-nostream">
          {t('rollcall.noStream')}
        </p>
      )}
      {result ? (
        <p className={`rollcall-result rollcall-${result.outcome}`} data-testid="rollcall-result">
          <span className="rollcall-mark" aria-hidden="true">
            {result.outcome === 'present' ? '●' : result.outcome === 'absent' ? '■' : '▲'}
          </span>{' '}
          {t(`rollcall.outcomes.${result.outcome}`)} · {result.by} ·{' '}
          {new Date(result.at).toLocaleTimeString(i18n.language, {
            timeZone: 'Asia/Shanghai',
            hour: '2-digit',
            minute: '2-digit',
          })}
          {result.note && <> · {result.note}</>}
        </p>
      ) : mayRecord ? (
        <div className="rollcall-record">
          <input
            type="text"
            maxLength={500}
            placeholder={t('rollcall.note')}
            value={note}
            data-testid="rollcall-note"
            onChange={(e) => setNote(e.target.value)}
          />
          {ROLLCALL_OUTCOMES.map((outcome) => (
            <button
              key={outcome}
              type="button"
              disabled={sending}
              data-testid={`rollcall-${outcome}`}
              onClick={async () => {
                setSending(true);
                setMessage(await ledgerStore.recordRollcall(entry.code, outcome, note));
                setSending(false);
              }}
            >
              {t(`rollcall.outcomes.${outcome}`)}
            </button>
          ))}
          {message && (
            <p className="desk-error" role="alert">
              {message}
            </p>
          )}
        </div>
      ) : (
        <p className="desk-hint">{t('rollcall.notRecorded')}</p>
      )}
    </li>
  );
}

export function RollcallTab() {
  const { t, i18n } = useTranslation();
  const ledger = useStoreSelector(ledgerStore, selectLedger);
  const role = useStoreSelector(sessionStore, selectRole);
  const n = (x: number, digits = 0) => formatNumber(x, i18n.language, digits);
  const day = ledger.rollcall;
  const month = ledger.rollcallMonth;
  // the station whose video plays (a roll-call is one station at a time)
  const [playing, setPlaying] = useState<string | null>(null);
  return (
    <>
      <div className="plan-controls">
        <label>
          {t('rollcall.date')}{' '}
          <input
            type="date"
            data-testid="rollcall-date"
            value={ledger.rollcallDate}
            onChange={(e) => void ledgerStore.setRollcallDate(e.target.value)}
          />
        </label>
      </div>
      {day && (
        <p className="plan-totals" data-testid="rollcall-day" data-drawn={day.drawn.length}>
          {t('rollcall.day', {
            k: day.cycleDay,
            start: day.cycleStart,
            drawn: n(day.drawn.length),
            stations: n(day.stations),
          })}
        </p>
      )}
      <ul className="rollcall-cards">
        {(day?.drawn ?? []).map((entry) => (
          <StationCard
            key={`${day!.date}:${entry.code}`}
            entry={entry}
            mayRecord={role !== null && RECORDING_ROLES.includes(role)}
            playing={playing === entry.code}
            onPlay={(on) => setPlaying(on ? entry.code : null)}
          />
        ))}
      </ul>
      {month && (
        <table className="plan-table" data-testid="rollcall-month">
          <thead>
            <tr>
              <th>{t('rollcall.columns.station')}</th>
              <th>{t('rollcall.columns.drawn')}</th>
              <th>{t('rollcall.outcomes.present')}</th>
              <th>{t('rollcall.outcomes.absent')}</th>
              <th>{t('rollcall.outcomes.equipment')}</th>
              <th>{t('rollcall.columns.unrecorded')}</th>
              <th>{t('rollcall.columns.presentPct')}</th>
            </tr>
          </thead>
          <tbody>
            {month.stations.map((s) => (
              <tr key={s.code} data-testid="rollcall-month-row" data-code={s.code}>
                <td>{s.name}</td>
                <td className="num">{n(s.drawn)}</td>
                <td className="num">{n(s.present)}</td>
                <td className="num">{n(s.absent)}</td>
                <td className="num">{n(s.equipment)}</td>
                <td className="num">{n(s.unrecorded)}</td>
                <td className="num">{s.presentPct === null ? '—' : `${n(s.presentPct, 1)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
