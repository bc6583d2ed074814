-- Every table, index and trigger Twofold creates is named twofold_*, so it can share a database
-- with a host application (embedded mode) without colliding with the host's users, sessions, ...
-- Tables are renamed (ALTER TABLE ... RENAME keeps rows, and rewrites the foreign keys that
-- reference them); SQLite cannot rename an index or a trigger, so those are dropped and created
-- again under the new names. The FTS5 table is renamed too (FTS5 renames its shadow tables).
-- The migrations bookkeeping moves to twofold_migrations: api/db/migrate.ts (Node) and
-- wrangler.toml's migrations_table (D1).
DROP TRIGGER `users_search_insert`;
--> statement-breakpoint
DROP TRIGGER `users_search_update`;
--> statement-breakpoint
DROP TRIGGER `users_search_delete`;
--> statement-breakpoint
DROP INDEX `audit_action_idx`;
--> statement-breakpoint
DROP INDEX `audit_created_idx`;
--> statement-breakpoint
DROP INDEX `audit_user_idx`;
--> statement-breakpoint
DROP INDEX `backup_codes_user_hash_unique`;
--> statement-breakpoint
DROP INDEX `challenges_token_unique`;
--> statement-breakpoint
DROP INDEX `challenges_user_idx`;
--> statement-breakpoint
DROP INDEX `factors_enabled_idx`;
--> statement-breakpoint
DROP INDEX `factors_user_unique`;
--> statement-breakpoint
DROP INDEX `outbox_created_idx`;
--> statement-breakpoint
DROP INDEX `sessions_token_unique`;
--> statement-breakpoint
DROP INDEX `sessions_user_idx`;
--> statement-breakpoint
DROP INDEX `trusted_devices_token_unique`;
--> statement-breakpoint
DROP INDEX `trusted_devices_user_idx`;
--> statement-breakpoint
DROP INDEX `users_created_idx`;
--> statement-breakpoint
DROP INDEX `users_email_unique`;
--> statement-breakpoint
DROP INDEX `users_role_idx`;
--> statement-breakpoint
ALTER TABLE `attempt_counters` RENAME TO `twofold_attempt_counters`;
--> statement-breakpoint
ALTER TABLE `audit_events` RENAME TO `twofold_audit_events`;
--> statement-breakpoint
ALTER TABLE `backup_codes` RENAME TO `twofold_backup_codes`;
--> statement-breakpoint
ALTER TABLE `challenges` RENAME TO `twofold_challenges`;
--> statement-breakpoint
ALTER TABLE `factors` RENAME TO `twofold_factors`;
--> statement-breakpoint
ALTER TABLE `outbox` RENAME TO `twofold_outbox`;
--> statement-breakpoint
ALTER TABLE `sessions` RENAME TO `twofold_sessions`;
--> statement-breakpoint
ALTER TABLE `settings` RENAME TO `twofold_settings`;
--> statement-breakpoint
ALTER TABLE `trusted_devices` RENAME TO `twofold_trusted_devices`;
--> statement-breakpoint
ALTER TABLE `users` RENAME TO `twofold_users`;
--> statement-breakpoint
ALTER TABLE `users_search` RENAME TO `twofold_users_search`;
--> statement-breakpoint
CREATE INDEX `twofold_audit_action_idx` ON `twofold_audit_events` (`action`,`created_at`);
--> statement-breakpoint
CREATE INDEX `twofold_audit_created_idx` ON `twofold_audit_events` (`created_at`);
--> statement-breakpoint
CREATE INDEX `twofold_audit_user_idx` ON `twofold_audit_events` (`user_id`,`created_at`);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_backup_codes_user_hash_unique` ON `twofold_backup_codes` (`user_id`,`code_hash`);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_challenges_token_unique` ON `twofold_challenges` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `twofold_challenges_user_idx` ON `twofold_challenges` (`user_id`);
--> statement-breakpoint
CREATE INDEX `twofold_factors_enabled_idx` ON `twofold_factors` (`enabled_at`);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_factors_user_unique` ON `twofold_factors` (`user_id`);
--> statement-breakpoint
CREATE INDEX `twofold_outbox_created_idx` ON `twofold_outbox` (`created_at`);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_sessions_token_unique` ON `twofold_sessions` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `twofold_sessions_user_idx` ON `twofold_sessions` (`user_id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_trusted_devices_token_unique` ON `twofold_trusted_devices` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `twofold_trusted_devices_user_idx` ON `twofold_trusted_devices` (`user_id`);
--> statement-breakpoint
CREATE INDEX `twofold_users_created_idx` ON `twofold_users` (`created_at`,`id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_users_email_unique` ON `twofold_users` (`email`);
--> statement-breakpoint
CREATE INDEX `twofold_users_role_idx` ON `twofold_users` (`role`,`created_at`,`id`);
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
