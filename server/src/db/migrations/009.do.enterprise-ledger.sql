-- The enterprise safety ledger: inspections with their findings, and the safety responsibility board
-- (安全责任公示牌) of every enterprise with its half-yearly check.

ALTER TABLE enterprise
  -- when it entered the ledger: the routine inspection cadence counts from here until its first inspection
  ADD COLUMN registered_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE enterprise_inspection (
  id              bigserial PRIMARY KEY,
  enterprise_code text NOT NULL REFERENCES enterprise (code) ON UPDATE CASCADE,
  inspector_id    bigint NOT NULL REFERENCES app_user (id),
  inspected_at    timestamptz NOT NULL DEFAULT now(),
  -- passed: nothing found; hazards_found: findings, rectification follows
  result          text NOT NULL CHECK (result IN ('passed', 'hazards_found')),
  findings        text CHECK (length(findings) <= 4000),
  hazards_found   integer NOT NULL DEFAULT 0 CHECK (hazards_found >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((result = 'passed') = (hazards_found = 0)),
  CHECK (result = 'passed' OR length(btrim(findings)) > 0)
);
CREATE INDEX enterprise_inspection_enterprise_idx ON enterprise_inspection (enterprise_code, inspected_at DESC);

-- One board per enterprise: who answers for its safety, and the town and village supervisors.
CREATE TABLE responsibility_board (
  enterprise_code        text PRIMARY KEY REFERENCES enterprise (code) ON UPDATE CASCADE,
  first_responsible      text NOT NULL CHECK (length(btrim(first_responsible)) BETWEEN 1 AND 50),
  first_responsible_phone text NOT NULL CHECK (first_responsible_phone ~ '^[0-9+() -]{5,20}$'),
  actual_controller      text NOT NULL CHECK (length(btrim(actual_controller)) BETWEEN 1 AND 50),
  safety_manager         text NOT NULL CHECK (length(btrim(safety_manager)) BETWEEN 1 AND 50),
  safety_manager_phone   text NOT NULL CHECK (safety_manager_phone ~ '^[0-9+() -]{5,20}$'),
  town_supervisor        text NOT NULL CHECK (length(btrim(town_supervisor)) BETWEEN 1 AND 50),
  village_supervisor     text NOT NULL CHECK (length(btrim(village_supervisor)) BETWEEN 1 AND 50),
  supervisor_phone       text NOT NULL CHECK (supervisor_phone ~ '^[0-9+() -]{5,20}$'),
  posted_at              timestamptz NOT NULL DEFAULT now(),
  -- the last half-yearly check of the board (posted counts as checked)
  checked_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (checked_at >= posted_at)
);
