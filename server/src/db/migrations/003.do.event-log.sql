-- The append-only event log behind the live stream. Every state change writes its event in the same
-- transaction as the change. `seq` comes from a one-row counter that the writing transaction locks
-- until it commits, so sequence order is commit order: a reader that has seen `seq` n has seen every
-- event up to n, and a rolled-back transaction leaves no hole.

CREATE TABLE event_seq (
  id  boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL CHECK (seq >= 0)
);
INSERT INTO event_seq (id, seq) VALUES (true, 0);

CREATE TABLE event_log (
  seq        bigint PRIMARY KEY CHECK (seq > 0),
  type       text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  topic      text NOT NULL CHECK (topic IN ('hazard', 'patrol', 'station', 'dispatch', 'water')),
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  area_code  text NOT NULL CHECK (area_code ~ '^\d{6}(\d{3}(\d{3})?)?$'),
  grid_code  text,
  department text,
  subject    text NOT NULL,
  data       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX event_log_at_idx ON event_log (at);

-- Events are never changed; old ones are only pruned (DELETE) past the retention window.
CREATE FUNCTION event_log_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'event_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
  FOR EACH ROW EXECUTE FUNCTION event_log_no_update();
CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
  FOR EACH STATEMENT EXECUTE FUNCTION event_log_no_update();
