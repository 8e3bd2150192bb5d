-- Patrol GPS: the id a handheld tracking app sends (OsmAnd / Traccar Client), the patrol sessions of
-- grid members, and their fixes. A session starts with a member's first fix, ends after an idle gap or
-- when someone ends it; it keeps its running totals (distance from in-order fixes, time inside the
-- member's own unit grid) so the wall never has to re-read the fixes.

-- The identifier the stock app is configured with ("device identifier"). Unique among live devices
-- only: a phone whose device was revoked can be registered again under the same id.
ALTER TABLE device_token
  ADD COLUMN tracker_id text CHECK (tracker_id ~ '^[A-Za-z0-9_.:-]{1,64}$');
CREATE UNIQUE INDEX device_token_tracker_idx ON device_token (tracker_id)
  WHERE tracker_id IS NOT NULL AND revoked_at IS NULL;

-- A grid member's own unit grid (单元网格), when the grid centre has assigned one; otherwise a session's
-- grid is the unit grid containing its first fix.
ALTER TABLE app_user ADD COLUMN grid_code text REFERENCES grid (code);

CREATE TABLE patrol_session (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user (id),
  device_id    bigint NOT NULL REFERENCES device_token (id),
  -- the member's own unit grid for this session (NULL: the first fix lay in no unit grid)
  grid_code    text REFERENCES grid (code),
  -- division code the session belongs to (the grid's village, else the village of the first fix, else
  -- the member's own area): scope is a prefix match on it
  area_code    text NOT NULL REFERENCES admin_area (code) CHECK (area_code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
  started_at   timestamptz NOT NULL,
  -- the newest in-order fix: where the member is now
  last_fix_at  timestamptz NOT NULL,
  last_geom    geometry(Point, 4326) NOT NULL,
  last_inside  boolean NOT NULL,
  fixes        integer NOT NULL DEFAULT 1 CHECK (fixes >= 1),
  distance_m   double precision NOT NULL DEFAULT 0 CHECK (distance_m >= 0),
  inside_s     double precision NOT NULL DEFAULT 0 CHECK (inside_s >= 0),
  -- the last time the member left the grid, and how often they did
  left_grid_at timestamptz,
  exits        integer NOT NULL DEFAULT 0 CHECK (exits >= 0),
  ended_at     timestamptz,
  end_reason   text CHECK (end_reason IN ('idle', 'ended')),
  ended_by     bigint REFERENCES app_user (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (last_fix_at >= started_at),
  CHECK (inside_s <= extract(epoch FROM last_fix_at - started_at) + 0.001),
  CHECK (ended_at IS NULL OR ended_at >= last_fix_at),
  CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  CHECK ((exits = 0) = (left_grid_at IS NULL)),
  CHECK (grid_code IS NULL OR grid_code LIKE 'G' || area_code || '%')
);
-- at most one open session per device (the writer locks the device row, this is the backstop)
CREATE UNIQUE INDEX patrol_session_open_device_idx ON patrol_session (device_id) WHERE ended_at IS NULL;
CREATE INDEX patrol_session_device_start_idx ON patrol_session (device_id, started_at);
CREATE INDEX patrol_session_area_idx ON patrol_session (area_code text_pattern_ops, started_at DESC);
CREATE INDEX patrol_session_open_idx ON patrol_session (last_fix_at) WHERE ended_at IS NULL;
CREATE INDEX patrol_session_last_geom_idx ON patrol_session USING gist (last_geom);

CREATE TABLE patrol_position (
  id          bigserial PRIMARY KEY,
  session_id  bigint NOT NULL REFERENCES patrol_session (id) ON DELETE CASCADE,
  device_id   bigint NOT NULL REFERENCES device_token (id),
  -- the fix's own time (the device's clock)
  fix_at      timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  geom        geometry(Point, 4326) NOT NULL
                CHECK (ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90),
  speed_kmh   double precision CHECK (speed_kmh >= 0 AND speed_kmh <= 1000),
  bearing     double precision CHECK (bearing >= 0 AND bearing < 360),
  altitude_m  double precision CHECK (altitude_m BETWEEN -1000 AND 20000),
  accuracy_m  double precision CHECK (accuracy_m >= 0 AND accuracy_m <= 100000),
  hdop        double precision CHECK (hdop >= 0 AND hdop <= 100),
  battery_pct double precision CHECK (battery_pct >= 0 AND battery_pct <= 100),
  -- false: it arrived after a newer fix of the session (stored, but not part of the distance)
  in_order    boolean NOT NULL,
  -- whether it lies inside the session's grid (NULL where the session has none)
  inside      boolean,
  -- a device sends a fix once: a resent one (same device, same fix time) is a duplicate
  UNIQUE (device_id, fix_at)
);
CREATE INDEX patrol_position_session_idx ON patrol_position (session_id, fix_at);
CREATE INDEX patrol_position_geom_idx ON patrol_position USING gist (geom);
