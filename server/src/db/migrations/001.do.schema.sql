-- Foundation schema: administrative areas, grids, fire forces, water sources, enterprises, roads.
-- Everything is EPSG:4326 (WGS84). Imports convert from GCJ-02 / BD-09 / CGCS2000 on the way in.
CREATE EXTENSION IF NOT EXISTS postgis;

-- County → town → village, keyed on the NBS 2023 division code (names repeat, codes do not).
CREATE TABLE admin_area (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
  name        text NOT NULL CHECK (length(name) > 0),
  level       text NOT NULL CHECK (level IN ('county', 'town', 'village')),
  kind        text NOT NULL,
  parent_code text REFERENCES admin_area (code),
  synthetic   boolean NOT NULL,
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  CHECK ((level = 'county') = (parent_code IS NULL)),
  CHECK (length(code) = CASE level WHEN 'county' THEN 6 WHEN 'town' THEN 9 ELSE 12 END)
);
CREATE INDEX admin_area_geom_idx ON admin_area USING gist (geom);
CREATE INDEX admin_area_parent_idx ON admin_area (parent_code);

-- Grids (网格): town/street (level 1) → village/community (level 2) → unit grid (单元网格).
CREATE TABLE grid (
  code         text PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) > 0),
  level        text NOT NULL CHECK (level IN ('town', 'village', 'unit')),
  parent_code  text REFERENCES grid (code),
  admin_code   text NOT NULL REFERENCES admin_area (code),
  member_name  text,
  member_phone text,
  population   integer NOT NULL CHECK (population >= 0),
  households   integer NOT NULL CHECK (households >= 0 AND households <= population),
  synthetic    boolean NOT NULL,
  geom         geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  CHECK ((level = 'town') = (parent_code IS NULL))
);
CREATE INDEX grid_geom_idx ON grid USING gist (geom);
CREATE INDEX grid_parent_idx ON grid (parent_code);
CREATE INDEX grid_level_idx ON grid (level);

-- Fire-force tiers and their straight-line coverage rule. The figures mirror shared/src/standards.ts
-- (a test keeps the two equal): radius = speed/3.6 × (target − turnout) × 60 / tortuosity.
CREATE TABLE fire_force_tier (
  tier           text PRIMARY KEY,
  name_zh        text NOT NULL,
  target_minutes numeric NOT NULL CHECK (target_minutes > 0),
  turnout_minutes numeric NOT NULL CHECK (turnout_minutes >= 0),
  speed_kmh      numeric NOT NULL CHECK (speed_kmh > 0),
  tortuosity     numeric NOT NULL CHECK (tortuosity >= 1),
  clause         text NOT NULL,
  CHECK (target_minutes > turnout_minutes)
);
INSERT INTO fire_force_tier VALUES
  ('rescue_station', '消防救援站', 5, 1, 30, 1.4, '建标152-2017: district edge within 5 min of the order'),
  ('fulltime_team',  '政府专职消防队', 5, 1, 30, 1.4, '建标152-2017 / GB 51080-2015: 5 min'),
  ('joint_station',  '防消联勤服务站', 5, 1, 30, 1.4, '5-minute fire circle (5分钟消防圈)'),
  ('micro_station',  '微型消防站', 3, 1, 30, 1.4, '公消〔2015〕301号: on scene within 3 min');

CREATE FUNCTION coverage_radius_m(t fire_force_tier) RETURNS double precision
  LANGUAGE sql IMMUTABLE AS
  $$ SELECT (t.speed_kmh / 3.6 * (t.target_minutes - t.turnout_minutes) * 60 / t.tortuosity)::double precision $$;

CREATE TABLE fire_station (
  code          text PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) > 0),
  tier          text NOT NULL REFERENCES fire_force_tier (tier),
  station_class text CHECK (station_class IN ('class1', 'class2', 'small', 'standard')),
  status        text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'busy', 'out_of_service')),
  crew          integer NOT NULL CHECK (crew >= 0),
  vehicles      integer NOT NULL CHECK (vehicles >= 0),
  grid_code     text REFERENCES grid (code),
  address       text,
  phone         text,
  synthetic     boolean NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  geom          geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  -- only 消防救援站 carry a 建标152-2017 class
  CHECK ((tier = 'rescue_station') = (station_class IS NOT NULL))
);
CREATE INDEX fire_station_geom_idx ON fire_station USING gist (geom);
CREATE INDEX fire_station_tier_idx ON fire_station (tier);

CREATE TABLE water_source (
  code              text PRIMARY KEY,
  name              text,
  kind              text NOT NULL CHECK (kind IN ('hydrant', 'fire_pool', 'natural_intake', 'fire_crane')),
  flow_lps          double precision NOT NULL CHECK (flow_lps >= 0 AND flow_lps < 1000),
  pressure_mpa      double precision CHECK (pressure_mpa >= 0 AND pressure_mpa < 5),
  capacity_m3       double precision CHECK (capacity_m3 > 0),
  status            text NOT NULL CHECK (status IN ('in_service', 'out_of_service', 'under_repair')),
  last_inspected_at date,
  synthetic         boolean NOT NULL,
  geom              geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX water_source_geom_idx ON water_source USING gist (geom);
CREATE INDEX water_source_geog_idx ON water_source USING gist ((geom::geography));

CREATE TABLE enterprise (
  code      text PRIMARY KEY,
  name      text NOT NULL CHECK (length(name) > 0),
  category  text NOT NULL CHECK (category IN ('fire_safety', 'rental_housing', 'lpg', 'fireworks',
              'entertainment_venue', 'special_equipment', 'hazardous_chemicals', 'road_traffic', 'construction',
              'dust_explosion', 'hazardous_waste', 'elderly_care', 'chemical_park')),
  risk      text NOT NULL CHECK (risk IN ('red', 'orange', 'yellow', 'blue')),
  grid_code text REFERENCES grid (code),
  employees integer NOT NULL CHECK (employees >= 0),
  address   text,
  synthetic boolean NOT NULL,
  geom      geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX enterprise_geom_idx ON enterprise USING gist (geom);
CREATE INDEX enterprise_grid_idx ON enterprise (grid_code);

-- Road network as directed-capable edges with pgRouting's conventions (source/target node ids,
-- cost_s/reverse_cost_s with −1 where not passable that way).
CREATE TABLE road_node (
  id   bigint PRIMARY KEY CHECK (id > 0),
  geom geometry(Point, 4326) NOT NULL
);
CREATE INDEX road_node_geom_idx ON road_node USING gist (geom);

CREATE TABLE road (
  id             bigint PRIMARY KEY CHECK (id > 0),
  source         bigint NOT NULL REFERENCES road_node (id),
  target         bigint NOT NULL REFERENCES road_node (id),
  class          text NOT NULL CHECK (class IN ('expressway', 'ramp', 'arterial', 'collector', 'street', 'village')),
  name           text,
  speed_kmh      double precision NOT NULL CHECK (speed_kmh > 0 AND speed_kmh <= 130),
  length_m       double precision NOT NULL CHECK (length_m > 0),
  oneway         boolean NOT NULL DEFAULT false,
  bridge         boolean NOT NULL DEFAULT false,
  synthetic      boolean NOT NULL,
  cost_s         double precision GENERATED ALWAYS AS (length_m / (speed_kmh / 3.6)) STORED,
  reverse_cost_s double precision GENERATED ALWAYS AS (
                   CASE WHEN oneway THEN -1 ELSE length_m / (speed_kmh / 3.6) END) STORED,
  geom           geometry(LineString, 4326) NOT NULL CHECK (ST_NPoints(geom) >= 2),
  CHECK (source <> target)
);
CREATE INDEX road_geom_idx ON road USING gist (geom);
CREATE INDEX road_source_idx ON road (source);
CREATE INDEX road_target_idx ON road (target);
CREATE INDEX road_class_idx ON road (class);

CREATE TABLE waterway (
  code      text PRIMARY KEY,
  name      text NOT NULL,
  width_m   double precision NOT NULL CHECK (width_m > 0),
  synthetic boolean NOT NULL,
  geom      geometry(MultiLineString, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX waterway_geom_idx ON waterway USING gist (geom);

-- Straight-line coverage circles ("5-minute circles" as the seeds draw them), always current.
CREATE VIEW coverage_circle AS
SELECT s.code AS station_code,
       s.name AS station_name,
       s.tier,
       s.status,
       t.target_minutes::double precision AS target_minutes,
       coverage_radius_m(t) AS radius_m,
       t.clause,
       ST_Buffer(s.geom::geography, coverage_radius_m(t), 'quad_segs=16')::geometry AS geom
  FROM fire_station s
  JOIN fire_force_tier t ON t.tier = s.tier;
