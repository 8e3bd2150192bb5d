-- Photos of the later steps of the closed loop: the handling progress, the rectification submitted for
-- checking, the inspector's acceptance or sending back. Each photo names the timeline step it came with
-- (1: the report). A case keeps at most 200 photos.

ALTER TABLE hazard_photo ADD COLUMN step_n integer;
UPDATE hazard_photo SET step_n = 1;
ALTER TABLE hazard_photo
  ALTER COLUMN step_n SET NOT NULL,
  -- deferred: a report stores its photos and its first step in one transaction, in either order
  ADD CONSTRAINT hazard_photo_step_fk FOREIGN KEY (hazard_id, step_n) REFERENCES hazard_step (hazard_id, n)
    DEFERRABLE INITIALLY DEFERRED,
  DROP CONSTRAINT hazard_photo_n_check,
  ADD CONSTRAINT hazard_photo_n_check CHECK (n BETWEEN 1 AND 200);
