import { createHash } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import gcoord from 'gcoord';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { HTML, PDF, jpeg, jpegWithGps, noisePng, png, webp } from '../../../../test/support/images.ts';
import { multipartBody, type FormFile } from '../../../../test/support/multipart.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Small limits so the size tests send kilobytes, not megabytes (the limits are configuration). */
const LIMITS = { HAZARD_PHOTO_MAX_BYTES: 300_000, HAZARD_UPLOAD_MAX_BYTES: 700_000, HAZARD_PHOTOS_MAX: 4 };

const photo = (content: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg'): FormFile => ({
  field: 'photos',
  filename,
  contentType,
  content,
});

describe.each(BACKENDS)('hazard reports on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  /** a point inside a unit grid of the village officer's village, its grid, and a point in another village */
  let home: { lon: number; lat: number; grid: string; village: string };
  let away: { lon: number; lat: number; village: string };
  let as: Record<string, { authorization: string }>;
  let keyCounter = 0;
  const newKey = () => `hz-${backend}-${++keyCounter}-${Date.now()}`;

  const counts = async () =>
    (
      await db.pool.query<{ hazards: number; photos: number; events: number; audits: number }>(
        `SELECT (SELECT count(*)::int FROM hazard) AS hazards, (SELECT count(*)::int FROM hazard_photo) AS photos,
                (SELECT count(*)::int FROM event_log WHERE type = 'hazard.reported') AS events,
                (SELECT count(*)::int FROM audit_log WHERE action = 'hazard.report') AS audits`,
      )
    ).rows[0]!;

  const fields = (over: Record<string, unknown> = {}) => ({
    category: 'fire_safety',
    description: '三合一场所：一楼仓库堆放易燃物，安全出口被堵',
    location: { lon: home.lon, lat: home.lat, crs: 'wgs84' },
    ...over,
  });

  const report = (
    headers: Record<string, string>,
    body: Record<string, unknown>,
    files: FormFile[] = [],
    key?: string,
  ): InjectOptions => {
    const form = multipartBody(body, files);
    return {
      method: 'POST',
      url: '/api/hazards',
      headers: { ...headers, 'content-type': form.contentType, ...(key ? { 'idempotency-key': key } : {}) },
      payload: form.payload,
    };
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000, ...LIMITS });
    const { rows } = await db.pool.query<{ lon: number; lat: number; grid: string; village: string }>(`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code AS grid, admin_code AS village
        FROM (SELECT code, admin_code, ST_PointOnSurface(geom) AS p FROM grid
               WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
               ORDER BY code LIMIT 1) g`);
    home = rows[0]!;
    const other = await db.pool.query<{ lon: number; lat: number; village: string }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, admin_code AS village
         FROM (SELECT admin_code, ST_PointOnSurface(geom) AS p FROM grid
                WHERE level = 'unit' AND admin_code <> $1 AND admin_code LIKE left($1, 9) || '%' ORDER BY code LIMIT 1) g`,
      [home.village],
    );
    away = other.rows[0]!;
    const admin = await authHeader(app, 'admin');
    for (const [username, role, scope] of [
      ['other.officer', 'village_officer', away.village],
      ['other.member', 'grid_member', away.village],
    ] as const) {
      const created = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin,
        payload: { username, displayName: username, role, scope, password: 'test-password-123' },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const login = async (username: string, password?: string) => {
      if (!password) return authHeader(app, username);
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      return { authorization: `Bearer ${res.json().token as string}` };
    };
    as = {
      member: await login('grid_member'),
      officer: await login('village_officer'),
      town: await login('town_operator'),
      planner: await login('planner'),
      otherOfficer: await login('other.officer', 'test-password-123'),
    };
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('stores a report with photos, thumbnails and EXIF, in the unit grid that holds the GCJ-02 location', async () => {
    const [gcjLon, gcjLat] = gcoord.transform([home.lon, home.lat], gcoord.WGS84, gcoord.GCJ02) as [
      number,
      number,
    ];
    const withGps = await jpegWithGps(home.lon + 0.0001, home.lat - 0.0001, '2026:03:01 10:20:30');
    const plain = await png();
    const before = await counts();
    const res = await app.inject(
      report(as.member!, fields({ location: { lon: gcjLon, lat: gcjLat, crs: 'gcj02' } }), [
        photo(withGps, 'IMG_0001.JPG'),
        photo(plain, 'screen.png', 'image/png'),
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/api/hazards/${body.id}`);
    expect(body).toMatchObject({
      category: 'fire_safety',
      state: 'reported',
      severity: null,
      villageCode: home.village,
      gridCode: home.grid,
      locationCrs: 'gcj02',
      photos: 2,
      reporter: expect.any(String),
      version: 1,
      deadline: null,
    });
    // converted back to WGS84 within a metre of where the point was
    expect(Math.abs(body.lon - home.lon) * 93_000).toBeLessThan(1);
    expect(Math.abs(body.lat - home.lat) * 111_000).toBeLessThan(1);
    const [first, second] = body.photoList;
    expect(first).toMatchObject({ n: 1, mime: 'image/jpeg', bytes: withGps.length, sha256: sha(withGps) });
    expect(first.width).toBe(800);
    expect(first.exif.lon).toBeCloseTo(home.lon + 0.0001, 6);
    expect(first.exif.lat).toBeCloseTo(home.lat - 0.0001, 6);
    // EXIF local time read as Beijing time
    expect(first.exif.takenAt).toBe('2026-03-01T02:20:30.000Z');
    expect(second).toMatchObject({ n: 2, mime: 'image/png', width: 300, height: 500, exif: null });

    const stored = await db.pool.query<{ content: Buffer; thumbnail: Buffer; exif_lon: number | null }>(
      'SELECT content, thumbnail, exif_lon FROM hazard_photo WHERE hazard_id = $1 ORDER BY n',
      [body.id],
    );
    expect(stored.rows.map((r) => sha(r.content))).toEqual([sha(withGps), sha(plain)]);
    for (const row of stored.rows) {
      expect((await fileTypeFromBuffer(row.thumbnail))?.mime).toBe('image/webp');
      const meta = await sharp(row.thumbnail).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(320);
    }
    expect(stored.rows[1]!.exif_lon).toBeNull();

    const after = await counts();
    expect(after).toEqual({
      hazards: before.hazards + 1,
      photos: before.photos + 2,
      events: before.events + 1,
      audits: before.audits + 1,
    });
    const event = await db.pool.query(
      `SELECT area_code, grid_code, subject, topic, data FROM event_log WHERE subject = $1`,
      [`hazard:${body.id}`],
    );
    expect(event.rows).toEqual([
      {
        area_code: home.village,
        grid_code: home.grid,
        subject: `hazard:${body.id}`,
        topic: 'hazard',
        data: {
          id: body.id,
          category: 'fire_safety',
          state: 'reported',
          severity: null,
          lon: body.lon,
          lat: body.lat,
          title: body.title,
          reportedAt: body.reportedAt,
          reporter: body.reporter,
          photos: 2,
          deadline: null,
          yellowAt: null,
          level: 'village',
          department: null,
          supervised: false,
          version: 1,
        },
      },
    ]);
    const audit = await db.pool.query(
      `SELECT actor, target, after->>'crs' AS crs, (after->>'photos')::int AS photos FROM audit_log
        WHERE action = 'hazard.report' AND target = $1`,
      [`hazard:${body.id}`],
    );
    expect(audit.rows).toEqual([
      { actor: 'grid_member', target: `hazard:${body.id}`, crs: 'gcj02', photos: 2 },
    ]);
  });

  it('serves photos and thumbnails with their type and cache headers, only inside the area', async () => {
    const content = await webp();
    const created = await app.inject(report(as.officer!, fields(), [photo(content, 'a.webp', 'image/webp')]));
    expect(created.statusCode, created.body).toBe(201);
    const { id, photoList } = created.json();
    expect(photoList[0].url).toBe(`/api/hazards/${id}/photos/1`);

    const full = await app.inject({ method: 'GET', url: photoList[0].url, headers: as.member });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/webp');
    expect(full.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(full.rawPayload.equals(content)).toBe(true);
    const again = await app.inject({
      method: 'GET',
      url: photoList[0].url,
      headers: { ...as.member, 'if-none-match': String(full.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const thumb = await app.inject({ method: 'GET', url: photoList[0].thumbnailUrl, headers: as.town });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(200);

    // another village's officer: the hazard and its photos do not exist
    for (const url of [`/api/hazards/${id}`, photoList[0].url, photoList[0].thumbnailUrl]) {
      const res = await app.inject({ method: 'GET', url, headers: as.otherOfficer });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().field).toBe('params.id');
    }
    const list = await app.inject({ method: 'GET', url: '/api/hazards?limit=500', headers: as.otherOfficer });
    expect(list.json().items.map((h: { id: number }) => h.id)).not.toContain(id);
    const missing = await app.inject({
      method: 'GET',
      url: `/api/hazards/${id}/photos/2`,
      headers: as.officer,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().field).toBe('params.n');
  });

  it('lists open hazards in the area, paged and by bbox, and puts them in the live snapshot', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: as.officer,
      payload: fields({ category: 'lpg', description: '液化气钢瓶放在楼道里' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    const page = await app.inject({ method: 'GET', url: '/api/hazards?limit=1', headers: as.officer });
    expect(page.json()).toMatchObject({ limit: 1, offset: 0, items: [{ id, category: 'lpg', photos: 0 }] });
    expect(page.json().total).toBeGreaterThanOrEqual(1);
    const d = 0.0005;
    const box = `${home.lon - d},${home.lat - d},${home.lon + d},${home.lat + d}`;
    const inBox = await app.inject({ method: 'GET', url: `/api/hazards?bbox=${box}`, headers: as.town });
    expect(inBox.json().items.map((h: { id: number }) => h.id)).toContain(id);
    const far = await app.inject({
      method: 'GET',
      url: '/api/hazards?bbox=118,32,118.1,32.1',
      headers: as.town,
    });
    expect(far.json()).toMatchObject({ items: [], total: 0 });
    const badBox = await app.inject({ method: 'GET', url: '/api/hazards?bbox=1,2,3', headers: as.town });
    expect(badBox.json()).toMatchObject({ statusCode: 400, field: 'query.bbox' });

    const snapshot = await app.inject({ method: 'GET', url: '/api/live/snapshot', headers: as.officer });
    const hazards = snapshot.json().parts.hazards as { id: number; title: string }[];
    expect(hazards.find((h) => h.id === id)).toMatchObject({ title: '液化气钢瓶放在楼道里', photos: 0 });
    const byGrid = await app.inject({
      method: 'GET',
      url: `/api/live/snapshot?area=${home.grid}`,
      headers: as.officer,
    });
    expect(byGrid.json().parts.hazards.map((h: { id: number }) => h.id)).toContain(id);
  });

  it('accepts a device token of a grid member, and refuses roles that do not report', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: as.member,
      payload: { name: '手持终端-07' },
    });
    const device = { authorization: `Bearer ${issued.json().token as string}` };
    const res = await app.inject(report(device, fields(), [photo(await jpeg())]));
    expect(res.statusCode, res.body).toBe(201);
    const row = await db.pool.query(
      `SELECT u.username, h.reporter_device_id IS NOT NULL AS by_device FROM hazard h JOIN app_user u ON u.id = h.reporter_id WHERE h.id = $1`,
      [res.json().id],
    );
    expect(row.rows).toEqual([{ username: 'grid_member', by_device: true }]);
    const planner = await app.inject(report(as.planner!, fields()));
    expect(planner.statusCode).toBe(403);
    expect(planner.json().field).toBe('headers.authorization');
  });

  it('answers a retried Idempotency-Key with the first answer and creates nothing more', async () => {
    const key = newKey();
    const content = await jpeg();
    const before = await counts();
    const first = await app.inject(report(as.member!, fields(), [photo(content)], key));
    const retry = await app.inject(report(as.member!, fields(), [photo(content)], key));
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await counts()).toEqual({
      hazards: before.hazards + 1,
      photos: before.photos + 1,
      events: before.events + 1,
      audits: before.audits + 1,
    });

    const changed = await app.inject(report(as.member!, fields({ category: 'lpg' }), [photo(content)], key));
    expect(changed.statusCode).toBe(422);
    expect(changed.json().field).toBe('headers.idempotency-key');
    const otherPhoto = await app.inject(
      report(as.member!, fields(), [photo(await png(), 'x.png', 'image/png')], key),
    );
    expect(otherPhoto.statusCode).toBe(422);
    // the same key from another account is that account's own key
    const other = await app.inject(report(as.officer!, fields(), [photo(content)], key));
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
    const bad = await app.inject(report(as.member!, fields(), [], 'has spaces in it'));
    expect(bad.json()).toMatchObject({ statusCode: 400, field: 'headers.idempotency-key' });
  });

  it('creates one hazard for concurrent identical requests with the same key', async () => {
    const key = newKey();
    const content = await jpegWithGps(home.lon, home.lat, '2026:04:02 08:00:00');
    const before = await counts();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => app.inject(report(as.member!, fields(), [photo(content)], key))),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await counts()).toEqual({
      hazards: before.hazards + 1,
      photos: before.photos + 1,
      events: before.events + 1,
      audits: before.audits + 1,
    });
  });

  it.each([
    ['a PDF named .jpg', () => photo(PDF, 'scan.jpg', 'image/jpeg'), 415, /application\/pdf/],
    ['HTML named .png', () => photo(HTML, 'x.png', 'image/png'), 415, /no known image type/],
    [
      'a truncated JPEG',
      async () => photo((await jpeg()).subarray(0, 400)),
      422,
      /not a readable image\/jpeg/,
    ],
    ['an empty file', () => photo(Buffer.alloc(0)), 400, /empty/],
  ])('refuses %s as the third photo, writing nothing', async (_name, make, status, message) => {
    const before = await counts();
    const res = await app.inject(
      report(as.member!, fields(), [
        photo(await jpeg()),
        photo(await png(), 'b.png', 'image/png'),
        await make(),
      ]),
    );
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ field: 'body.photos.3', message: expect.stringMatching(message) });
    expect(await counts()).toEqual(before);
  });

  it('refuses oversized photos, too many photos and too large a report with 413 naming the field', async () => {
    const before = await counts();
    const big = await noisePng(400, 300); // ~360 kB > 300 kB
    expect(big.length).toBeGreaterThan(LIMITS.HAZARD_PHOTO_MAX_BYTES);
    const oversized = await app.inject(
      report(as.member!, fields(), [photo(await jpeg()), photo(big, 'big.png', 'image/png')]),
    );
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({
      field: 'body.photos.2',
      message: expect.stringMatching(/larger than/),
    });

    const tooMany = await app.inject(
      report(
        as.member!,
        fields(),
        await Promise.all(Array.from({ length: 5 }, async () => photo(await jpeg()))),
      ),
    );
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({
      field: 'body.photos',
      message: expect.stringMatching(/at most 4/),
    });

    const medium = await noisePng(300, 300); // ~270 kB each: three are over 700 kB
    expect(medium.length).toBeLessThan(LIMITS.HAZARD_PHOTO_MAX_BYTES);
    const total = await app.inject(
      report(
        as.member!,
        fields(),
        [medium, medium, medium].map((c) => photo(c, 'm.png', 'image/png')),
      ),
    );
    expect(total.statusCode).toBe(413);
    expect(total.json()).toMatchObject({
      field: 'body.photos.3',
      message: expect.stringMatching(/in total/),
    });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['an unknown category', { category: 'ufo' }, 400, 'body.category'],
    ['a blank description', { description: '   ' }, 400, 'body.description'],
    ['a missing location', { location: undefined }, 400, 'body.location'],
    ['a location that is not JSON', { location: '119.1,33.5' }, 400, 'body.location'],
    ['an unknown CRS', { location: { lon: 119.1, lat: 33.5, crs: 'epsg3857' } }, 400, 'body.location.crs'],
    [
      'a latitude out of range',
      { location: { lon: 119.1, lat: 95, crs: 'wgs84' } },
      400,
      'body.location.lat',
    ],
    [
      'a point outside the district',
      { location: { lon: 116.4, lat: 39.9, crs: 'wgs84' } },
      400,
      'body.location',
    ],
    ['an unknown field', { priority: 'high' }, 400, 'body.priority'],
  ])('refuses %s naming the field, writing nothing', async (_name, over, status, field) => {
    const before = await counts();
    const res = await app.inject(report(as.member!, fields(over), [photo(await jpeg())]));
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().field).toBe(field);
    expect(await counts()).toEqual(before);
  });

  it('stores text the way PostgreSQL can (a lone surrogate becomes U+FFFD) and refuses NUL naming the field', async () => {
    const odd = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: { ...as.member, 'content-type': 'application/json' },
      payload: JSON.stringify(fields({ description: 'a\uD800b 楼道' })),
    });
    expect(odd.statusCode, odd.body).toBe(201);
    expect(odd.json()).toMatchObject({ description: 'a\uFFFDb 楼道', title: 'a\uFFFDb 楼道' });
    const before = await counts();
    const nul = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: as.member,
      payload: fields({ description: 'a\u0000b' }),
    });
    expect(nul.json()).toMatchObject({ statusCode: 400, field: 'body.description' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a location outside the reporter’s own village', async () => {
    const res = await app.inject(
      report(as.member!, fields({ location: { lon: away.lon, lat: away.lat, crs: 'wgs84' } })),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      field: 'body.location',
      message: expect.stringMatching(/outside your area/),
    });
  });

  it('refuses a file in a text field and text in the photos field', async () => {
    const misplaced = multipartBody(fields(), [{ ...photo(await jpeg()), field: 'description' }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: { ...as.member, 'content-type': misplaced.contentType },
      payload: misplaced.payload,
    });
    expect(res.json()).toMatchObject({ statusCode: 400, field: 'body.description' });
    const text = await app.inject(report(as.member!, fields({ photos: 'not a file' })));
    expect(text.json()).toMatchObject({ statusCode: 400, field: 'body.photos' });
  });
});
