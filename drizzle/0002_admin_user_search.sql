-- Fragment search for the admin listing (GET /api/admin/users?q=): an FTS5 table with the trigram
-- tokenizer over each user's email and name, so `q` of 3+ characters is an index lookup instead
-- of a LIKE over every user. The listing still applies its LIKE to the candidates, so results
-- are exactly those of the scan. Triggers keep the table in step with `twofold_users`; a user's
-- entry is found by a match on its own email (unique), not by a scan. Not in schema.ts: drizzle
-- has no virtual tables.
CREATE VIRTUAL TABLE `twofold_users_search` USING fts5(user_id UNINDEXED, email, name, tokenize = 'trigram');
--> statement-breakpoint
INSERT INTO `twofold_users_search` (user_id, email, name) SELECT id, email, name FROM `twofold_users`;
--> statement-breakpoint
CREATE TRIGGER `twofold_users_search_insert` AFTER INSERT ON `twofold_users` BEGIN
  INSERT INTO twofold_users_search (user_id, email, name) VALUES (new.id, new.email, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `twofold_users_search_update` AFTER UPDATE OF email, name ON `twofold_users` BEGIN
  DELETE FROM twofold_users_search WHERE rowid IN (
    SELECT rowid FROM twofold_users_search WHERE email MATCH '"' || replace(old.email, '"', '""') || '"'
  ) AND user_id = old.id;
  DELETE FROM twofold_users_search WHERE length(old.email) < 3 AND user_id = old.id;
  INSERT INTO twofold_users_search (user_id, email, name) VALUES (new.id, new.email, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `twofold_users_search_delete` AFTER DELETE ON `twofold_users` BEGIN
  DELETE FROM twofold_users_search WHERE rowid IN (
    SELECT rowid FROM twofold_users_search WHERE email MATCH '"' || replace(old.email, '"', '""') || '"'
  ) AND user_id = old.id;
  DELETE FROM twofold_users_search WHERE length(old.email) < 3 AND user_id = old.id;
END;
