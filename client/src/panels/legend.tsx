/** The legend, drawn from the same tables and icon functions as the map layers. */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  GRID_LEVELS,
  RISK_COLOURS,
  ROAD_CLASSES,
  STATION_STATUSES,
  STATION_TIERS,
  TIER_TARGET_MIN,
  WATER_SOURCE_KINDS,
  WATER_SOURCE_STATUSES,
} from '../../../shared/src/domain.ts';
import { DESIGN_REM_PX } from '../config.ts';
import { enterpriseIcon, stationIcon, waterSourceIcon, type MapIcon } from '../map/icons.ts';
import {
  COVERAGE_STATUS_STYLES,
  cssRgb,
  GRID_LEVEL_STYLES,
  OUT_OF_SERVICE_FILL,
  RISK_SYMBOLS,
  ROAD_CLASS_STYLES,
  TIER_SYMBOLS,
  WATER_SOURCE_SIZE_PX,
  type Rgb,
  type Rgba,
} from '../map/symbols.ts';

/** Legend symbols are drawn larger than on the map, up to this size in px at the design width. */
const LEGEND_ICON_MAX_PX = 26;

function Icon({ icon, sizePx }: { icon: MapIcon; sizePx: number }) {
  const size = `${Math.min(LEGEND_ICON_MAX_PX, Math.max(18, sizePx)) / DESIGN_REM_PX}rem`;
  return <img className="legend-icon" src={icon.url} alt="" style={{ width: size, height: size }} />;
}

/** A line sample in the colour and width (design px, at least 1) the map draws, scaled like the text. */
function LineSwatch({ colour, widthPx }: { colour: Rgb | Rgba; widthPx: number }) {
  return (
    <span
      className="legend-line"
      style={{ borderTopColor: cssRgb(colour), borderTopWidth: `${Math.max(1, widthPx) / DESIGN_REM_PX}rem` }}
    />
  );
}

function Entry({ symbol, label, testId }: { symbol: ReactNode; label: string; testId?: string }) {
  return (
    <li data-testid={testId}>
      <span className="legend-symbol">{symbol}</span>
      <span>{label}</span>
    </li>
  );
}

function Section({ title, children, single }: { title: string; children: ReactNode; single?: boolean }) {
  return (
    <div className="legend-section">
      <h3>{title}</h3>
      <ul className={single ? 'legend-single' : undefined}>{children}</ul>
    </div>
  );
}

/**
 * `collapsible`: beside the wall's charts the legend is a button that opens it over the map's edge
 * (the other views have the column to themselves and keep it open).
 */
export function Legend({ collapsible = false }: { collapsible?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const available = COVERAGE_STATUS_STYLES.available;
  if (collapsible && !open)
    return (
      <section className="panel legend is-collapsed" data-testid="legend">
        <button
          type="button"
          className="legend-toggle"
          data-testid="legend-toggle"
          aria-expanded={false}
          onClick={() => setOpen(true)}
        >
          {t('legend.title')} ▸
        </button>
      </section>
    );
  return (
    <section
      className={`panel legend${collapsible ? ' is-floating' : ''}`}
      data-testid="legend"
      aria-labelledby="legend-title"
    >
      {collapsible ? (
        <h2 id="legend-title">
          <button
            type="button"
            className="legend-toggle"
            data-testid="legend-toggle"
            aria-expanded
            onClick={() => setOpen(false)}
          >
            {t('legend.title')} ◂
          </button>
        </h2>
      ) : (
        <h2 id="legend-title">{t('legend.title')}</h2>
      )}
      <Section title={t('legend.tiers')}>
        {STATION_TIERS.map((tier) => (
          <Entry
            key={tier}
            testId={`legend-tier-${tier}`}
            symbol={<Icon icon={stationIcon(tier, 'available')} sizePx={TIER_SYMBOLS[tier].sizePx} />}
            label={t(`enums.tier.${tier}`)}
          />
        ))}
      </Section>
      <Section title={t('legend.stationStatus')}>
        {STATION_STATUSES.map((status) => (
          <Entry
            key={status}
            symbol={<Icon icon={stationIcon('fulltime_team', status)} sizePx={28} />}
            label={t(`enums.stationStatus.${status}`)}
          />
        ))}
      </Section>
      <Section title={t('legend.coverage')} single>
        {(['rescue_station', 'micro_station'] as const).map((tier) => {
          const [r, g, b] = TIER_SYMBOLS[tier].colour;
          return (
            <Entry
              key={tier}
              symbol={
                <span
                  className="legend-circle"
                  style={{
                    background: cssRgb([r, g, b, available.fillAlpha * 3]),
                    borderColor: cssRgb([r, g, b, available.lineAlpha]),
                  }}
                />
              }
              label={`${t(`enums.tier.${tier}`)} · ${t('legend.coverageTarget', { minutes: TIER_TARGET_MIN[tier] })}`}
            />
          );
        })}
        <Entry
          symbol={
            <span
              className="legend-circle legend-circle-dashed"
              style={{ borderColor: cssRgb(OUT_OF_SERVICE_FILL) }}
            />
          }
          label={t('legend.coverageOut')}
        />
      </Section>
      <Section title={t('legend.risk')}>
        {RISK_COLOURS.map((risk) => (
          <Entry
            key={risk}
            testId={`legend-risk-${risk}`}
            symbol={<Icon icon={enterpriseIcon(risk)} sizePx={RISK_SYMBOLS[risk].sizePx} />}
            label={t(`enums.risk.${risk}`)}
          />
        ))}
      </Section>
      <Section title={t('legend.waterKinds')}>
        {WATER_SOURCE_KINDS.map((kind) => (
          <Entry
            key={kind}
            symbol={<Icon icon={waterSourceIcon(kind, 'in_service')} sizePx={WATER_SOURCE_SIZE_PX} />}
            label={t(`enums.waterKind.${kind}`)}
          />
        ))}
      </Section>
      <Section title={t('legend.waterStatus')}>
        {WATER_SOURCE_STATUSES.map((status) => (
          <Entry
            key={status}
            symbol={<Icon icon={waterSourceIcon('hydrant', status)} sizePx={WATER_SOURCE_SIZE_PX} />}
            label={t(`enums.waterStatus.${status}`)}
          />
        ))}
      </Section>
      <Section title={t('legend.grids')}>
        {GRID_LEVELS.map((level) => (
          <Entry
            key={level}
            symbol={
              <LineSwatch
                colour={GRID_LEVEL_STYLES[level].line}
                widthPx={GRID_LEVEL_STYLES[level].lineWidthPx}
              />
            }
            label={t(`enums.gridLevel.${level}`)}
          />
        ))}
      </Section>
      <Section title={t('legend.roads')}>
        {ROAD_CLASSES.map((roadClass) => (
          <Entry
            key={roadClass}
            symbol={
              <LineSwatch
                colour={ROAD_CLASS_STYLES[roadClass].colour}
                widthPx={ROAD_CLASS_STYLES[roadClass].widthZ16 / 2}
              />
            }
            label={t(`enums.roadClass.${roadClass}`)}
          />
        ))}
      </Section>
    </section>
  );
}
