-- Upgrading a database made by Twofold 0.1 (tables `users`, `sessions`, ...) to 0.2, where every
-- table, index and trigger Twofold creates is named twofold_*. Not a journal migration: a fresh
-- database gets the twofold_* names straight from 0000-0002, so a host's own `users`, `sessions`,
-- ... never collide with Twofold's. `migrate(db)` (Node) runs this file by itself when it finds
-- 0.1's bookkeeping; on D1 or Turso run it once by hand (see the README), then rename the
-- bookkeeping table to twofold_migrations.
--
-- The tables of 0000-0002 are created under their new names, the rows copied over (the search
-- index fills itself through its insert trigger), and the old tables dropped, children first so
-- that no foreign-key action fires. One transaction; no PRAGMA (D1 refuses them).
CREATE TABLE `twofold_attempt_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`window_start` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `twofold_audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`actor_id` text,
	`action` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `twofold_audit_user_idx` ON `twofold_audit_events` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `twofold_audit_action_idx` ON `twofold_audit_events` (`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `twofold_audit_created_idx` ON `twofold_audit_events` (`created_at`);--> statement-breakpoint
CREATE TABLE `twofold_backup_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_backup_codes_user_hash_unique` ON `twofold_backup_codes` (`user_id`,`code_hash`);--> statement-breakpoint
CREATE TABLE `twofold_challenges` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`consumed_at` integer,
	`email_code_hash` text,
	`email_code_expires_at` integer,
	`email_code_sent_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_challenges_token_unique` ON `twofold_challenges` (`token_hash`);--> statement-breakpoint
CREATE INDEX `twofold_challenges_user_idx` ON `twofold_challenges` (`user_id`);--> statement-breakpoint
CREATE TABLE `twofold_factors` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`key_id` text NOT NULL,
	`last_step` integer DEFAULT -1 NOT NULL,
	`created_at` integer NOT NULL,
	`enabled_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_factors_user_unique` ON `twofold_factors` (`user_id`);--> statement-breakpoint
CREATE INDEX `twofold_factors_enabled_idx` ON `twofold_factors` (`enabled_at`);--> statement-breakpoint
CREATE TABLE `twofold_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `twofold_outbox_created_idx` ON `twofold_outbox` (`created_at`);--> statement-breakpoint
CREATE TABLE `twofold_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_sessions_token_unique` ON `twofold_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `twofold_sessions_user_idx` ON `twofold_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `twofold_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `twofold_trusted_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`label` text NOT NULL,
	`user_agent` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_trusted_devices_token_unique` ON `twofold_trusted_devices` (`token_hash`);--> statement-breakpoint
CREATE INDEX `twofold_trusted_devices_user_idx` ON `twofold_trusted_devices` (`user_id`);--> statement-breakpoint
CREATE TABLE `twofold_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`password_hash` text,
	`role` text DEFAULT 'user' NOT NULL,
	`role_since` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_sign_in_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_users_email_unique` ON `twofold_users` (`email`);--> statement-breakpoint
CREATE INDEX `twofold_users_role_idx` ON `twofold_users` (`role`,`created_at`);--> statement-breakpoint
CREATE INDEX `twofold_users_created_idx` ON `twofold_users` (`created_at`);
--> statement-breakpoint
DROP INDEX `twofold_users_role_idx`;--> statement-breakpoint
DROP INDEX `twofold_users_created_idx`;--> statement-breakpoint
CREATE INDEX `twofold_users_role_idx` ON `twofold_users` (`role`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `twofold_users_created_idx` ON `twofold_users` (`created_at`,`id`);
--> statement-breakpoint
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
--> statement-breakpoint
INSERT INTO `twofold_users` (`id`, `email`, `name`, `password_hash`, `role`, `role_since`, `created_at`, `last_sign_in_at`)
  SELECT `id`, `email`, `name`, `password_hash`, `role`, `role_since`, `created_at`, `last_sign_in_at` FROM `users`;
--> statement-breakpoint
INSERT INTO `twofold_sessions` (`id`, `user_id`, `token_hash`, `created_at`, `expires_at`, `ip`, `user_agent`)
  SELECT `id`, `user_id`, `token_hash`, `created_at`, `expires_at`, `ip`, `user_agent` FROM `sessions`;
--> statement-breakpoint
INSERT INTO `twofold_factors` (`id`, `user_id`, `secret_ciphertext`, `key_id`, `last_step`, `created_at`, `enabled_at`)
  SELECT `id`, `user_id`, `secret_ciphertext`, `key_id`, `last_step`, `created_at`, `enabled_at` FROM `factors`;
--> statement-breakpoint
INSERT INTO `twofold_backup_codes` (`id`, `user_id`, `code_hash`, `created_at`, `used_at`)
  SELECT `id`, `user_id`, `code_hash`, `created_at`, `used_at` FROM `backup_codes`;
--> statement-breakpoint
INSERT INTO `twofold_challenges` (`id`, `user_id`, `token_hash`, `created_at`, `expires_at`, `attempts`, `consumed_at`, `email_code_hash`, `email_code_expires_at`, `email_code_sent_at`)
  SELECT `id`, `user_id`, `token_hash`, `created_at`, `expires_at`, `attempts`, `consumed_at`, `email_code_hash`, `email_code_expires_at`, `email_code_sent_at` FROM `challenges`;
--> statement-breakpoint
INSERT INTO `twofold_trusted_devices` (`id`, `user_id`, `token_hash`, `label`, `user_agent`, `created_at`, `last_used_at`, `expires_at`)
  SELECT `id`, `user_id`, `token_hash`, `label`, `user_agent`, `created_at`, `last_used_at`, `expires_at` FROM `trusted_devices`;
--> statement-breakpoint
INSERT INTO `twofold_attempt_counters` (`key`, `count`, `window_start`, `locked_until`)
  SELECT `key`, `count`, `window_start`, `locked_until` FROM `attempt_counters`;
--> statement-breakpoint
INSERT INTO `twofold_audit_events` (`id`, `user_id`, `actor_id`, `action`, `ip`, `user_agent`, `metadata`, `created_at`)
  SELECT `id`, `user_id`, `actor_id`, `action`, `ip`, `user_agent`, `metadata`, `created_at` FROM `audit_events`;
--> statement-breakpoint
INSERT INTO `twofold_settings` (`key`, `value`, `updated_at`)
  SELECT `key`, `value`, `updated_at` FROM `settings`;
--> statement-breakpoint
INSERT INTO `twofold_outbox` (`id`, `to`, `subject`, `text`, `html`, `created_at`)
  SELECT `id`, `to`, `subject`, `text`, `html`, `created_at` FROM `outbox`;
--> statement-breakpoint
DROP TABLE `users_search`;
--> statement-breakpoint
DROP TABLE `sessions`;
--> statement-breakpoint
DROP TABLE `factors`;
--> statement-breakpoint
DROP TABLE `backup_codes`;
--> statement-breakpoint
DROP TABLE `challenges`;
--> statement-breakpoint
DROP TABLE `trusted_devices`;
--> statement-breakpoint
DROP TABLE `users`;
--> statement-breakpoint
DROP TABLE `attempt_counters`;
--> statement-breakpoint
DROP TABLE `audit_events`;
--> statement-breakpoint
DROP TABLE `settings`;
--> statement-breakpoint
DROP TABLE `outbox`;
