/**
 * The hazard's photos as thumbnails; a click enlarges one (Esc or a click closes it). Images are read
 * with the session's token and shown as object URLs, freed when they leave the page.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HazardPhotoView } from '../../../shared/src/schemas/hazards.ts';
import { session } from '../auth/page-session.ts';
import { photoObjectUrl } from './hazard-api.ts';

/** An authorised image as an object URL (undefined while loading, null when it failed). */
function useObjectUrl(url: string): string | null | undefined {
  const [objectUrl, setObjectUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let created: string | undefined;
    setObjectUrl(undefined);
    photoObjectUrl(session.fetch, url).then(
      (result) => {
        created = result;
        if (live) setObjectUrl(result);
        else URL.revokeObjectURL(result);
      },
      () => live && setObjectUrl(null),
    );
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [url]);
  return objectUrl;
}

function Photo({ url, alt, className }: { url: string; alt: string; className: string }) {
  const { t } = useTranslation();
  const src = useObjectUrl(url);
  if (src === null) return <span className={`${className} photo-failed`}>{t('hazard.photoFailed')}</span>;
  if (src === undefined) return <span className={`${className} photo-loading`} />;
  return <img className={className} src={src} alt={alt} />;
}

function Lightbox({ photo, onClose }: { photo: HazardPhotoView; onClose(): void }) {
  const { t } = useTranslation();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div
      className="photo-lightbox"
      role="dialog"
      aria-modal="true"
      data-testid="photo-lightbox"
      onClick={onClose}
    >
      <Photo url={photo.url} alt={t('hazard.photoAlt', { n: photo.n })} className="photo-large" />
      <button type="button" className="button photo-lightbox-close" aria-label={t('hazard.close')} autoFocus>
        ×
      </button>
    </div>
  );
}

export function HazardPhotos({ photos }: { photos: readonly HazardPhotoView[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<HazardPhotoView | null>(null);
  if (photos.length === 0) return <p className="hazard-muted">{t('hazard.noPhotos')}</p>;
  return (
    <>
      <ul className="photo-strip" data-testid="photo-strip">
        {photos.map((photo) => (
          <li key={photo.n}>
            <button
              type="button"
              className="photo-button"
              data-testid="photo-thumbnail"
              onClick={() => setOpen(photo)}
            >
              <Photo
                url={photo.thumbnailUrl}
                alt={t('hazard.photoAlt', { n: photo.n })}
                className="photo-thumbnail"
              />
            </button>
          </li>
        ))}
      </ul>
      {open && <Lightbox photo={open} onClose={() => setOpen(null)} />}
    </>
  );
}
