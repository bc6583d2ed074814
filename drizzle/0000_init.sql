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