/** An open case's time left: colour, a shape and a word for its state (colour-blind safe), and the time. */
import { useTranslation } from 'react-i18next';
import { durationText, TIMER_ICONS, timerView, type InboxHazard } from './queue.ts';

export function TimerBadge({
  hazard,
  now,
}: {
  hazard: Pick<InboxHazard, 'deadline' | 'yellowAt'>;
  now: Date;
}) {
  const { t } = useTranslation();
  const view = timerView(hazard, now);
  const key = view.state ?? 'none';
  let left = '';
  if (view.leftMs !== null) {
    const { key: unit, values } = durationText(view.leftMs);
    const duration = t(`inbox.duration.${unit}`, values);
    left = t(view.leftMs < 0 ? 'inbox.timer.overdue' : 'inbox.timer.left', { duration });
  }
  return (
    <span className={`timer timer-${key}`} data-testid="timer" data-timer={key}>
      <span className="timer-icon" aria-hidden="true">
        {TIMER_ICONS[key]}
      </span>
      <span className="timer-state">{t(`inbox.timer.${key}`)}</span>
      {left && <span className="timer-left">{left}</span>}
    </span>
  );
}
