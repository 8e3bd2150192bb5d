/**
 * A skid-mounted station's video (HLS) playing inside its roll-call card. hls.js (its light build: no
 * alternate audio, subtitles or DRM, which a station camera does not use) is loaded on the first play
 * and feeds the player through Media Source where the browser has it; a browser that plays HLS itself
 * and has no Media Source gets the address directly. Muted, so it starts without a click. A stream
 * that cannot be played says why, with the address to open elsewhere.
 */
import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js/light';
import { useTranslation } from 'react-i18next';

export type PlayerState = 'loading' | 'playing' | 'error';

/** Why a stream could not play: a fatal hls.js error's kind, or one of our own. */
type Failure = 'network' | 'media' | 'unsupported' | 'other';

export function RollcallPlayer({ url }: { url: string }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PlayerState>('loading');
  const [failure, setFailure] = useState<Failure | null>(null);

  useEffect(() => {
    const element = video.current;
    if (!element) return undefined;
    let stopped = false;
    let hls: Hls | null = null;
    setState('loading');
    setFailure(null);
    const fail = (why: Failure) => {
      if (stopped) return;
      setFailure(why);
      setState('error');
      hls?.destroy();
      hls = null;
    };
    const onPlaying = () => !stopped && setState('playing');
    const onError = () => fail('media');
    element.addEventListener('playing', onPlaying);
    element.addEventListener('error', onError);
    const play = () => void element.play().catch(() => {});
    import('hls.js/light')
      .then(({ default: Hls }) => {
        if (stopped) return;
        if (Hls.isSupported()) {
          const player = new Hls({ lowLatencyMode: true, backBufferLength: 30 });
          hls = player;
          player.on(Hls.Events.ERROR, (_event, data) => {
            if (!data.fatal) return;
            fail(
              data.type === Hls.ErrorTypes.NETWORK_ERROR
                ? 'network'
                : data.type === Hls.ErrorTypes.MEDIA_ERROR
                  ? 'media'
                  : 'other',
            );
          });
          player.loadSource(url);
          player.attachMedia(element);
          play();
        } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
          element.src = url;
          play();
        } else fail('unsupported');
      })
      .catch(() => fail('other'));
    return () => {
      stopped = true;
      element.removeEventListener('playing', onPlaying);
      element.removeEventListener('error', onError);
      hls?.destroy();
      element.removeAttribute('src');
      element.load();
    };
  }, [url]);

  return (
    <div className="rollcall-player" data-testid="rollcall-player" data-state={state}>
      <video ref={video} muted playsInline controls data-testid="rollcall-video" />
      {state === 'loading' && <p className="rollcall-player-note">{t('rollcall.player.loading')}</p>}
      {state === 'error' && (
        <p
          className="rollcall-player-note rollcall-player-error"
          role="alert"
          data-testid="rollcall-player-error"
        >
          {t(`rollcall.player.failed.${failure ?? 'other'}`)}{' '}
          <a href={url} target="_blank" rel="noreferrer">
            {t('rollcall.openStream')}
          </a>
        </p>
      )}
    </div>
  );
}
