-- The hazard closed loop (七步闭环): the level a case sits at (village → town → county → a county
-- department), who is responsible for rectifying it and which grid member follows it up, when its timer
-- turns yellow, and the append-only timeline of every step with who took it, why, and the deadline it set.

ALTER TABLE hazard
  ADD COLUMN level text NOT NULL DEFAULT 'village'
    CHECK (level IN ('village', 'town', 'county', 'department')),
  ADD COLUMN department text
    CHECK (department IN ('fire', 'emergency', 'housing', 'market', 'transport', 'environment', 'education')),
  -- the party that must rectify (an enterprise, a household, a works department): free text
  ADD COLUMN responsible text CHECK (length(btrim(responsible)) BETWEEN 1 AND 200),
  ADD COLUMN assignee_id bigint REFERENCES app_user (id),
  -- the deadline's warning point (yellow timer); the deadline itself turns it red
  ADD COLUMN yellow_at timestamptz,
  -- first entered supervision (督查督办)
  ADD COLUMN supervised_at timestamptz,
  ADD CONSTRAINT hazard_department_level CHECK ((level = 'department') = (department IS NOT NULL)),
  ADD CONSTRAINT hazard_yellow_before_deadline CHECK (yellow_at IS NULL OR (deadline IS NOT NULL AND yellow_at <= deadline)),
  ADD CONSTRAINT hazard_assigned_has_responsible
    CHECK (state IN ('reported', 'classified') OR responsible IS NOT NULL);

CREATE INDEX hazard_department_idx ON hazard (department) WHERE department IS NOT NULL;
CREATE INDEX hazard_open_deadline_idx ON hazard (deadline) WHERE state <> 'closed';

CREATE TABLE hazard_step (
  hazard_id   bigint NOT NULL REFERENCES hazard (id),
  -- 1 is the report; each later step takes the next number (the hazard row is locked meanwhile)
  n           integer NOT NULL CHECK (n >= 1),
  action      text NOT NULL CHECK (action IN ('report', 'classify', 'assign', 'reassign', 'start', 'progress',
                'submit', 'accept', 'reject', 'escalate', 'deescalate', 'supervise')),
  from_state  text CHECK (from_state IN ('reported', 'classified', 'assigned', 'handling', 'checking', 'closed')),
  to_state    text NOT NULL CHECK (to_state IN ('reported', 'classified', 'assigned', 'handling', 'checking', 'closed')),
  from_level  text CHECK (from_level IN ('village', 'town', 'county', 'department')),
  to_level    text NOT NULL CHECK (to_level IN ('village', 'town', 'county', 'department')),
  department  text CHECK (department IN ('fire', 'emergency', 'housing', 'market', 'transport', 'environment', 'education')),
  actor_id    bigint NOT NULL REFERENCES app_user (id),
  actor_role  text NOT NULL,
  note        text CHECK (length(note) <= 2000),
  deadline    timestamptz,
  -- what else the step set (severity, responsible, assignee, who was pressed …)
  data        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hazard_id, n),
  CHECK ((n = 1) = (action = 'report')),
  CHECK (action = 'report' OR from_state IS NOT NULL)
);
CREATE INDEX hazard_step_at_idx ON hazard_step (at);
CREATE INDEX hazard_step_actor_idx ON hazard_step (actor_id);

CREATE FUNCTION hazard_step_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hazard_step is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER hazard_step_no_update BEFORE UPDATE OR DELETE ON hazard_step
  FOR EACH ROW EXECUTE FUNCTION hazard_step_append_only();
CREATE TRIGGER hazard_step_no_truncate BEFORE TRUNCATE ON hazard_step
  FOR EACH STATEMENT EXECUTE FUNCTION hazard_step_append_only();

-- hazards reported before this migration get their first step
INSERT INTO hazard_step (hazard_id, n, action, to_state, to_level, actor_id, actor_role, at)
SELECT h.id, 1, 'report', 'reported', 'village', h.reporter_id, u.role, h.reported_at
  FROM hazard h JOIN app_user u ON u.id = h.reporter_id;
