-- Accounts, sessions, device tokens, the append-only audit log, and the area code every scoped row
-- carries so that scope is a prefix match on the division code (county 6, town 9, village 12 digits).

CREATE TABLE app_user (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,32}$'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
  role          text NOT NULL CHECK (role IN ('grid_member', 'village_officer', 'town_operator', 'county_operator',
                  'department_handler', 'dispatcher', 'planner', 'admin')),
  scope_code    text NOT NULL REFERENCES admin_area (code),
  department    text CHECK (department IN ('fire', 'emergency', 'housing', 'market', 'transport', 'environment',
                  'education')),
  password_hash text NOT NULL,
  failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until  timestamptz,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'department_handler') = (department IS NOT NULL))
);

CREATE TABLE refresh_token (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_ip  text
);
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id);

CREATE TABLE device_token (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX device_token_user_idx ON device_token (user_id);

-- Server-wide secrets (the access-token signing key), shared by every instance on this database.
CREATE TABLE server_secret (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor_id   bigint,
  actor      text,
  role       text,
  scope_code text,
  action     text NOT NULL,
  target     text,
  before     jsonb,
  after      jsonb,
  ip         text,
  user_agent text,
  request_id text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The village a point or line lies in (the nearest one for the few points on a boundary's edge).
CREATE FUNCTION village_code_at(g geometry) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT code FROM admin_area WHERE level = 'village' AND ST_Intersects(geom, g) ORDER BY code LIMIT 1),
    (SELECT code FROM admin_area WHERE level = 'village' ORDER BY geom <-> g LIMIT 1))
$$;

CREATE FUNCTION set_village_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.village_code := village_code_at(
    CASE WHEN GeometryType(NEW.geom) = 'POINT' THEN NEW.geom ELSE ST_LineInterpolatePoint(NEW.geom, 0.5) END);
  RETURN NEW;
END $$;

ALTER TABLE fire_station ADD COLUMN village_code text;
ALTER TABLE water_source ADD COLUMN village_code text;
ALTER TABLE enterprise ADD COLUMN village_code text;
ALTER TABLE road ADD COLUMN village_code text;

CREATE TRIGGER fire_station_village BEFORE INSERT OR UPDATE OF geom ON fire_station
  FOR EACH ROW EXECUTE FUNCTION set_village_code();
CREATE TRIGGER water_source_village BEFORE INSERT OR UPDATE OF geom ON water_source
  FOR EACH ROW EXECUTE FUNCTION set_village_code();
CREATE TRIGGER enterprise_village BEFORE INSERT OR UPDATE OF geom ON enterprise
  FOR EACH ROW EXECUTE FUNCTION set_village_code();
CREATE TRIGGER road_village BEFORE INSERT OR UPDATE OF geom ON road
  FOR EACH ROW EXECUTE FUNCTION set_village_code();

-- Rows loaded before this migration.
UPDATE fire_station SET village_code = village_code_at(geom);
UPDATE water_source SET village_code = village_code_at(geom);
UPDATE enterprise SET village_code = village_code_at(geom);
UPDATE road SET village_code = village_code_at(ST_LineInterpolatePoint(geom, 0.5));

CREATE INDEX fire_station_village_idx ON fire_station (village_code text_pattern_ops);
CREATE INDEX water_source_village_idx ON water_source (village_code text_pattern_ops);
CREATE INDEX enterprise_village_idx ON enterprise (village_code text_pattern_ops);
CREATE INDEX road_village_idx ON road (village_code text_pattern_ops);
CREATE INDEX grid_admin_idx ON grid (admin_code text_pattern_ops);

CREATE OR REPLACE VIEW coverage_circle AS
SELECT s.code AS station_code,
       s.name AS station_name,
       s.tier,
       s.status,
       t.target_minutes::double precision AS target_minutes,
       coverage_radius_m(t) AS radius_m,
       t.clause,
       ST_Buffer(s.geom::geography, coverage_radius_m(t), 'quad_segs=16')::geometry AS geom,
       s.village_code
  FROM fire_station s
  JOIN fire_force_tier t ON t.tier = s.tier;
