import type { SafetyCategory } from '../../../../shared/src/domain.ts';
import type { InputCrs } from '../../../../shared/src/schemas/geometry-input.ts';
import type { HazardPhotoType } from '../../../../shared/src/schemas/hazards.ts';
import type { HazardSeverity, HazardState } from '../../../../shared/src/schemas/live.ts';
import type { Queryable } from '../../db/transaction.ts';
import type { CheckedPhoto } from './photos.ts';

/** Where a point lies: its unit grid (单元网格) and village, or nothing outside the district's villages. */
export interface PlaceRow {
  village_code: string | null;
  grid_code: string | null;
}

export interface HazardRow {
  id: string;
  category: SafetyCategory;
  state: HazardState;
  severity: HazardSeverity | null;
  lon: number;
  lat: number;
  description: string;
  reported_at: Date;
  reporter: string;
  photos: number;
  deadline: Date | null;
  village_code: string;
  grid_code: string | null;
}

export interface HazardDetailRow extends HazardRow {
  village_name: string;
  grid_name: string | null;
  location_crs: InputCrs;
  version: number;
}

export interface PhotoRow {
  n: number;
  mime: HazardPhotoType;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  exif_lon: number | null;
  exif_lat: number | null;
  exif_taken_at: Date | null;
}

export interface NewHazard {
  category: SafetyCategory;
  description: string;
  lon: number;
  lat: number;
  crs: InputCrs;
  villageCode: string;
  gridCode: string | null;
  reporterId: number;
  reporterDeviceId: number | null;
}

const SUMMARY = `h.id, h.category, h.state, h.severity, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, h.description,
  h.reported_at, u.display_name AS reporter,
  (SELECT count(*)::int FROM hazard_photo p WHERE p.hazard_id = h.id) AS photos,
  h.deadline, h.village_code, h.grid_code`;

const OPEN = `h.state <> 'closed'`;

/** A division code (village_code prefix) or a grid code (`G…`, the unit grid code or, without one, `G` + village). */
const IN_AREA = `CASE WHEN left($1, 1) = 'G' THEN coalesce(h.grid_code, 'G' || h.village_code) LIKE $1 || '%'
                      ELSE h.village_code LIKE $1 || '%' END`;

export const hazardRepository = {
  /**
   * The unit grid containing the point (its village is the grid's), or, where no unit grid covers it,
   * the village polygon containing it.
   */
  async place(db: Queryable, lon: number, lat: number): Promise<PlaceRow> {
    const { rows } = await db.query<PlaceRow>(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g),
            unit AS (SELECT g.code, g.admin_code FROM grid g, p
                      WHERE g.level = 'unit' AND ST_Covers(g.geom, p.g) ORDER BY g.code LIMIT 1)
       SELECT coalesce((SELECT admin_code FROM unit),
                       (SELECT a.code FROM admin_area a, p
                         WHERE a.level = 'village' AND ST_Covers(a.geom, p.g) ORDER BY a.code LIMIT 1)) AS village_code,
              (SELECT code FROM unit) AS grid_code`,
      [lon, lat],
    );
    return rows[0]!;
  },

  async insert(db: Queryable, h: NewHazard): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO hazard (category, description, geom, location_crs, village_code, grid_code, reporter_id,
                           reporter_device_id)
       VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8, $9)
       RETURNING id`,
      [
        h.category,
        h.description,
        h.lon,
        h.lat,
        h.crs,
        h.villageCode,
        h.gridCode,
        h.reporterId,
        h.reporterDeviceId,
      ],
    );
    return rows[0]!.id;
  },

  async insertPhoto(db: Queryable, hazardId: string, n: number, p: CheckedPhoto): Promise<void> {
    await db.query(
      `INSERT INTO hazard_photo (hazard_id, n, mime, bytes, sha256, width, height, content, thumbnail,
                                 exif_lon, exif_lat, exif_taken_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        hazardId,
        n,
        p.mime,
        p.bytes,
        p.sha256,
        p.width,
        p.height,
        p.content,
        p.thumbnail,
        p.exifLon,
        p.exifLat,
        p.exifTakenAt,
      ],
    );
  },

  /** The hazard if it lies in `scope` (a division code prefix). */
  async detail(db: Queryable, id: number | string, scope: string): Promise<HazardDetailRow | undefined> {
    const { rows } = await db.query<HazardDetailRow>(
      `SELECT ${SUMMARY}, a.name AS village_name, g.name AS grid_name, h.location_crs, h.version
         FROM hazard h
         JOIN app_user u ON u.id = h.reporter_id
         JOIN admin_area a ON a.code = h.village_code
         LEFT JOIN grid g ON g.code = h.grid_code
        WHERE h.id = $1 AND h.village_code LIKE $2 || '%'`,
      [id, scope],
    );
    return rows[0];
  },

  async photos(db: Queryable, id: number | string): Promise<PhotoRow[]> {
    const { rows } = await db.query<PhotoRow>(
      `SELECT n, mime, bytes, width, height, sha256, exif_lon, exif_lat, exif_taken_at
         FROM hazard_photo WHERE hazard_id = $1 ORDER BY n`,
      [id],
    );
    return rows;
  },

  /** A photo's bytes (or its thumbnail's) if its hazard lies in `scope`. */
  async photoContent(
    db: Queryable,
    id: number,
    n: number,
    scope: string,
    which: 'content' | 'thumbnail',
  ): Promise<{ data: Buffer; mime: string; sha256: string } | undefined> {
    const column = which === 'content' ? 'p.content' : 'p.thumbnail';
    const { rows } = await db.query<{ data: Buffer; mime: string; sha256: string }>(
      `SELECT ${column} AS data, p.mime, p.sha256
         FROM hazard_photo p JOIN hazard h ON h.id = p.hazard_id
        WHERE p.hazard_id = $1 AND p.n = $2 AND h.village_code LIKE $3 || '%'`,
      [id, n, scope],
    );
    return rows[0];
  },

  /** Open hazards in `scope`, optionally inside a WGS84 bbox, newest first. */
  async listOpen(
    db: Queryable,
    scope: string,
    bbox: [number, number, number, number] | undefined,
    limit: number,
    offset: number,
  ): Promise<{ rows: HazardRow[]; total: number }> {
    const where = `h.village_code LIKE $1 || '%' AND ${OPEN}
      AND ($2::float8 IS NULL OR h.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326))`;
    const box = bbox ?? [null, null, null, null];
    const [{ rows }, count] = [
      await db.query<HazardRow>(
        `SELECT ${SUMMARY} FROM hazard h JOIN app_user u ON u.id = h.reporter_id
          WHERE ${where} ORDER BY h.reported_at DESC, h.id DESC LIMIT $6 OFFSET $7`,
        [scope, ...box, limit, offset],
      ),
      await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM hazard h WHERE ${where}`, [
        scope,
        ...box,
      ]),
    ];
    return { rows, total: count.rows[0]!.total };
  },

  /** Open hazards in an area (division code or grid code), for the live snapshot. */
  async openInArea(db: Queryable, area: string): Promise<HazardRow[]> {
    const { rows } = await db.query<HazardRow>(
      `SELECT ${SUMMARY} FROM hazard h JOIN app_user u ON u.id = h.reporter_id
        WHERE ${IN_AREA} AND ${OPEN} ORDER BY h.id`,
      [area],
    );
    return rows;
  },
};
