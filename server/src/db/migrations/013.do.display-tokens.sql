-- Wall displays sign themselves in: an administrator issues a display token (a device token of kind
-- 'display') for a wall account, and the screen's URL carries it (`#display=<token>`); the page
-- exchanges it at POST /api/auth/display for an ordinary session of that account. A display token is
-- no handheld: it is refused on the device endpoints, and a handheld's token is refused as a display.
ALTER TABLE device_token
  ADD COLUMN kind text NOT NULL DEFAULT 'handheld' CHECK (kind IN ('handheld', 'display')),
  ADD CONSTRAINT device_token_display_no_tracker CHECK (kind = 'handheld' OR tracker_id IS NULL);
