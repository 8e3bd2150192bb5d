-- Smart hydrants: the latest pressure reading per water source, and who set a source's status, so that
-- a sensor only ever undoes what a sensor did (a person's under_repair or out_of_service stays).

-- 'person' for every status set by anyone but the pressure sensors (imports, the seed, the API);
-- the trigger below keeps it right without the writers having to know about it.
ALTER TABLE water_source
  ADD COLUMN status_set_by text NOT NULL DEFAULT 'person' CHECK (status_set_by IN ('person', 'sensor'));

-- A status change is the sensor's only inside a transaction that said so with
-- set_config('gridwatch.status_set_by', 'sensor', true); any other change is a person's.
CREATE FUNCTION water_source_status_set_by() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.status_set_by := CASE WHEN current_setting('gridwatch.status_set_by', true) = 'sensor'
                              THEN 'sensor' ELSE 'person' END;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER water_source_status_set_by BEFORE UPDATE OF status ON water_source
  FOR EACH ROW EXECUTE FUNCTION water_source_status_set_by();

CREATE TABLE hydrant_reading (
  code         text PRIMARY KEY REFERENCES water_source (code) ON DELETE CASCADE,
  -- MPa; the subscriber refuses negative and absurd values before they get here
  pressure_mpa double precision NOT NULL CHECK (pressure_mpa >= 0 AND pressure_mpa <= 2),
  -- the sensor's own time of the reading (older readings than this one are ignored)
  read_at      timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  -- 0..1 where the sensor reports it
  battery      double precision CHECK (battery >= 0 AND battery <= 1),
  -- consecutive readings at or above the recovery threshold (hysteresis before returning to service)
  recovering   integer NOT NULL DEFAULT 0 CHECK (recovering >= 0)
);
