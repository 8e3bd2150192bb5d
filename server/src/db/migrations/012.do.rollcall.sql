-- Video roll-call (视频点名) of the skid-mounted stations: the station's video stream, and what the
-- command centre saw when it called a station drawn for the day (the draw itself is computed, seeded by
-- the county and the three-day cycle, so it needs no table).

ALTER TABLE fire_station ADD COLUMN stream_url text CHECK (stream_url ~ '^https?://\S+$');

CREATE TABLE rollcall_result (
  -- the Beijing calendar day of the roll-call
  day          date NOT NULL,
  station_code text NOT NULL REFERENCES fire_station (code),
  outcome      text NOT NULL CHECK (outcome IN ('present', 'absent', 'equipment')),
  note         text CHECK (length(note) BETWEEN 1 AND 500),
  recorded_by  bigint NOT NULL REFERENCES app_user (id),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, station_code)
);
CREATE INDEX rollcall_result_station_idx ON rollcall_result (station_code, day);
