-- Fragment search for the admin listing (GET /api/admin/users?q=): an FTS5 table with the trigram
-- tokenizer over each user's email and name, so `q` of 3+ characters is an index lookup instead
-- of a LIKE over every user. The listing still applies its LIKE to the candidates, so results
-- are exactly those of the scan. Triggers keep the table in step with `users`; a user's entry is
-- found by a match on its own email (unique), not by a scan. Not in schema.ts: drizzle has no
-- virtual tables.
CREATE VIRTUAL TABLE `users_search` USING fts5(user_id UNINDEXED, email, name, tokenize = 'trigram');
--> statement-breakpoint
INSERT INTO `users_search` (user_id, email, name) SELECT id, email, name FROM `users`;
--> statement-breakpoint
CREATE TRIGGER `users_search_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO users_search (user_id, email, name) VALUES (new.id, new.email, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_update` AFTER UPDATE OF email, name ON `users` BEGIN
  DELETE FROM users_search WHERE rowid IN (
    SELECT rowid FROM users_search WHERE email MATCH '"' || replace(old.email, '"', '""') || '"'
  ) AND user_id = old.id;
  DELETE FROM users_search WHERE length(old.email) < 3 AND user_id = old.id;
  INSERT INTO users_search (user_id, email, name) VALUES (new.id, new.email, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_delete` AFTER DELETE ON `users` BEGIN
  DELETE FROM users_search WHERE rowid IN (
    SELECT rowid FROM users_search WHERE email MATCH '"' || replace(old.email, '"', '""') || '"'
  ) AND user_id = old.id;
  DELETE FROM users_search WHERE length(old.email) < 3 AND user_id = old.id;
END;
