/**
 * The small form of one step of the loop: the fields the action needs (actionFormFields), Enter sends,
 * Esc or Cancel closes. The page decides what a refusal means; this form shows the message it returns.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEPARTMENTS } from '../../../shared/src/auth.ts';
import { PHOTO_ACTIONS, type HazardAction, type HazardLevel } from '../../../shared/src/hazard-workflow.ts';
import {
  HAZARD_SEVERITIES,
  type HazardActionBody,
  type HazardAssignee,
} from '../../../shared/src/schemas/hazards.ts';
import { actionFormFields, buildActionBody, type ActionField, type ActionFormValues } from './action-form.ts';

export interface ActionDialogProps {
  action: HazardAction;
  level: HazardLevel;
  version: number;
  /** Sends the step (with the photos chosen); resolves to an error message to show, or null when done. */
  onSubmit(body: HazardActionBody, photos: File[]): Promise<string | null>;
  onCancel(): void;
  /** The grid members the case may be assigned to (asked for when the form has an assignee field). */
  loadAssignees?: () => Promise<HazardAssignee[]>;
}

export function ActionDialog({
  action,
  level,
  version,
  onSubmit,
  onCancel,
  loadAssignees,
}: ActionDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const fields = actionFormFields(action, level);
  const [values, setValues] = useState<ActionFormValues>({});
  const [message, setMessage] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const [assignees, setAssignees] = useState<HazardAssignee[] | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const takesPhotos = (PHOTO_ACTIONS as readonly HazardAction[]).includes(action);
  const wantsAssignee = fields.some((f) => f.field === 'assignee');
  useEffect(() => {
    if (!wantsAssignee || !loadAssignees) return;
    let live = true;
    loadAssignees().then(
      (list) => live && setAssignees(list),
      () => live && setAssignees([]),
    );
    return () => {
      live = false;
    };
  }, [wantsAssignee, loadAssignees]);

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, []);

  const label = (field: ActionField) => t(`hazard.form.${field}`);
  const set = (field: ActionField) => (event: { target: { value: string } }) =>
    setValues((previous) => ({ ...previous, [field]: event.target.value }));

  async function submit() {
    if (sending) return;
    const result = buildActionBody(action, level, version, values);
    if ('missing' in result) {
      setMessage(t('hazard.form.missing', { field: label(result.missing) }));
      return;
    }
    setSending(true);
    setMessage(null);
    const error = await onSubmit(result.body, photos);
    setSending(false);
    if (error) setMessage(error);
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && event.target instanceof HTMLTextAreaElement && !event.shiftKey) {
      // a note is one or two lines; Shift+Enter breaks a line, Enter sends as everywhere else in the form
      event.preventDefault();
      form.current?.requestSubmit();
    }
  };

  return (
    <div className="action-dialog-backdrop" onClick={onCancel}>
      <form
        ref={form}
        className="panel action-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="action-dialog"
        data-action={action}
        onClick={(event) => event.stopPropagation()}
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${id}-title`}>{t(`hazard.actionNames.${action}`)}</h2>
        {fields.map(({ field, required }) => (
          <label key={field} className="action-field">
            <span className="action-field-label">
              {label(field)}
              {required && <span className="action-required"> *</span>}
            </span>
            {field === 'severity' ? (
              <select data-testid="action-severity" value={values.severity ?? ''} onChange={set(field)}>
                <option value="">{t('hazard.form.chooseSeverity')}</option>
                {HAZARD_SEVERITIES.map((severity) => (
                  <option key={severity} value={severity}>
                    {t(`inbox.severities.${severity}`)}
                  </option>
                ))}
              </select>
            ) : field === 'department' ? (
              <select data-testid="action-department" value={values.department ?? ''} onChange={set(field)}>
                <option value="">{t('hazard.form.chooseDepartment')}</option>
                {DEPARTMENTS.map((department) => (
                  <option key={department} value={department}>
                    {t(`inbox.departments.${department}`)}
                  </option>
                ))}
              </select>
            ) : field === 'assignee' ? (
              <select data-testid="action-assignee" value={values.assignee ?? ''} onChange={set(field)}>
                <option value="">
                  {assignees === null ? t('hazard.form.loading') : t('hazard.form.noAssignee')}
                </option>
                {(assignees ?? []).map((a) => (
                  <option key={a.id} value={String(a.id)}>
                    {a.grid ? `${a.name} · ${a.grid}` : a.name}
                  </option>
                ))}
              </select>
            ) : field === 'note' ? (
              <textarea
                data-testid="action-note"
                rows={2}
                maxLength={2000}
                value={values.note ?? ''}
                onChange={set(field)}
              />
            ) : field === 'deadline' ? (
              <input
                data-testid="action-deadline"
                type="datetime-local"
                value={values.deadline ?? ''}
                onChange={set(field)}
              />
            ) : (
              <input
                data-testid={`action-${field}`}
                type="text"
                maxLength={200}
                value={values[field] ?? ''}
                onChange={set(field)}
              />
            )}
          </label>
        ))}
        {takesPhotos && (
          <label className="action-field">
            <span className="action-field-label">{t('hazard.form.photos')}</span>
            <input
              data-testid="action-photos"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              multiple
              onChange={(event) => setPhotos([...(event.target.files ?? [])])}
            />
            {photos.length > 0 && (
              <span className="action-hint" data-testid="action-photo-count">
                {t('hazard.form.photosChosen', { count: photos.length })}
              </span>
            )}
          </label>
        )}
        {message && (
          <p className="action-message" role="alert" data-testid="action-message">
            {message}
          </p>
        )}
        <div className="action-buttons">
          <span className="action-hint">{t('hazard.form.hint')}</span>
          <button type="button" className="button" onClick={onCancel}>
            {t('hazard.form.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            data-testid="action-submit"
            disabled={sending}
          >
            {sending ? t('hazard.form.submitting') : t('hazard.form.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
