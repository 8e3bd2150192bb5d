-- Dispatch records (出警): the forces a dispatcher sent to an incident, with the route each was given.
-- A force is committed to at most one open dispatch (the partial unique index), whatever the status
-- column says; dispatching turns it busy and closing the dispatch frees it.

CREATE TABLE dispatch (
  id           bigserial PRIMARY KEY,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  geom         geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  -- the village the incident lies in: scope and live events match on it
  village_code text NOT NULL,
  hazard_id    bigint REFERENCES hazard (id),
  note         text CHECK (length(note) <= 500),
  created_by   bigint NOT NULL REFERENCES app_user (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  closed_by    bigint REFERENCES app_user (id),
  closed_at    timestamptz,
  close_reason text CHECK (length(close_reason) <= 500),
  version      integer NOT NULL DEFAULT 1,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL))
);
CREATE INDEX dispatch_open_idx ON dispatch (village_code) WHERE status = 'open';
CREATE INDEX dispatch_created_idx ON dispatch (created_at);

CREATE TABLE dispatch_force (
  dispatch_id   bigint NOT NULL REFERENCES dispatch (id),
  station_code  text NOT NULL REFERENCES fire_station (code),
  -- 0: first response, then reinforcement in the dispatcher's order
  ord           integer NOT NULL CHECK (ord >= 0),
  travel_time_s double precision NOT NULL CHECK (travel_time_s >= 0),
  distance_m    double precision NOT NULL CHECK (distance_m >= 0),
  route         geometry(LineString, 4326) NOT NULL,
  released_at   timestamptz,
  PRIMARY KEY (dispatch_id, station_code)
);
CREATE UNIQUE INDEX dispatch_force_committed_idx ON dispatch_force (station_code) WHERE released_at IS NULL;
