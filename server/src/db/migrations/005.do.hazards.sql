-- Hazards (隐患) reported from handhelds, their photos, and the idempotency keys that make a
-- handheld's retries safe. A hazard starts 'reported' and moves through the closed loop (七步闭环):
-- classified (severity set) → assigned → handling → checking → closed. `village_code` carries the
-- village the point lies in, so scope is a prefix match as on every scoped table.

CREATE TABLE hazard (
  id           bigserial PRIMARY KEY,
  category     text NOT NULL CHECK (category IN ('fire_safety', 'rental_housing', 'lpg', 'fireworks',
                 'entertainment_venue', 'special_equipment', 'hazardous_chemicals', 'road_traffic', 'construction',
                 'dust_explosion', 'hazardous_waste', 'elderly_care', 'chemical_park')),
  description  text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
  state        text NOT NULL DEFAULT 'reported'
                 CHECK (state IN ('reported', 'classified', 'assigned', 'handling', 'checking', 'closed')),
  -- 一般隐患 / 重大隐患: decided when the report is classified
  severity     text CHECK (severity IN ('general', 'major')),
  geom         geometry(Point, 4326) NOT NULL
                 CHECK (ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90),
  -- the coordinate system the reporter sent (the point itself is always WGS84)
  location_crs text NOT NULL CHECK (location_crs IN ('wgs84', 'gcj02', 'bd09', 'cgcs2000')),
  village_code text NOT NULL REFERENCES admin_area (code) CHECK (village_code ~ '^[0-9]{12}$'),
  grid_code    text REFERENCES grid (code),
  reporter_id  bigint NOT NULL REFERENCES app_user (id),
  reporter_device_id bigint REFERENCES device_token (id),
  reported_at  timestamptz NOT NULL DEFAULT now(),
  deadline     timestamptz,
  closed_at    timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- optimistic locking for the loop's later steps: every change increments it
  version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  CHECK (state = 'reported' OR severity IS NOT NULL),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
  CHECK (deadline IS NULL OR deadline > reported_at),
  CHECK (grid_code IS NULL OR grid_code LIKE 'G' || village_code || '-%')
);
CREATE INDEX hazard_geom_idx ON hazard USING gist (geom);
CREATE INDEX hazard_village_idx ON hazard (village_code text_pattern_ops);
CREATE INDEX hazard_open_village_idx ON hazard (village_code text_pattern_ops, id) WHERE state <> 'closed';
CREATE INDEX hazard_grid_idx ON hazard (grid_code);
CREATE INDEX hazard_reporter_idx ON hazard (reporter_id);

CREATE TABLE hazard_photo (
  hazard_id     bigint NOT NULL REFERENCES hazard (id) ON DELETE CASCADE,
  -- 1-based position in the report (the URL's :n)
  n             smallint NOT NULL CHECK (n BETWEEN 1 AND 50),
  mime          text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes         integer NOT NULL CHECK (bytes > 0),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  width         integer NOT NULL CHECK (width > 0),
  height        integer NOT NULL CHECK (height > 0),
  content       bytea NOT NULL,
  thumbnail     bytea NOT NULL CHECK (octet_length(thumbnail) > 0),
  -- from the photo's EXIF, when it carries them
  exif_lon      double precision CHECK (exif_lon BETWEEN -180 AND 180),
  exif_lat      double precision CHECK (exif_lat BETWEEN -90 AND 90),
  exif_taken_at timestamptz,
  PRIMARY KEY (hazard_id, n),
  CHECK (octet_length(content) = bytes),
  CHECK ((exif_lon IS NULL) = (exif_lat IS NULL))
);
-- photos are already compressed: store them out of line without trying pglz on them
ALTER TABLE hazard_photo ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE hazard_photo ALTER COLUMN thumbnail SET STORAGE EXTERNAL;

-- The first answer to a request sent with an Idempotency-Key, per account and route. The row is
-- claimed (status NULL) at the start of the writing transaction and completed before it commits, so a
-- concurrent request with the same key waits on it and then replays the answer.
CREATE TABLE idempotency_key (
  user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  route        text NOT NULL CHECK (route ~ '^(POST|PUT|PATCH|DELETE) /'),
  key          text NOT NULL CHECK (key ~ '^[!-~]{1,128}$'),
  request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  status       smallint CHECK (status BETWEEN 200 AND 299),
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, route, key),
  CHECK ((status IS NULL) = (response IS NULL))
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
