CREATE TABLE `twofold_authenticators` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`confirmed_at` integer,
	`secret_ciphertext` text,
	`key_id` text,
	`last_step` integer DEFAULT -1 NOT NULL,
	`credential_id` text,
	`public_key` text,
	`counter` integer DEFAULT 0 NOT NULL,
	`transports` text,
	`aaguid` text,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `twofold_authenticators_user_idx` ON `twofold_authenticators` (`user_id`,`type`);--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_authenticators_credential_unique` ON `twofold_authenticators` (`credential_id`);--> statement-breakpoint
CREATE INDEX `twofold_authenticators_confirmed_idx` ON `twofold_authenticators` (`confirmed_at`);--> statement-breakpoint
-- Each user's one TOTP factor (confirmed or pending) becomes an authenticator app, data kept:
-- the same id, secret ciphertext (sealed for `totp:<user id>`), key id and last accepted step.
INSERT INTO `twofold_authenticators` (`id`, `user_id`, `type`, `name`, `created_at`, `confirmed_at`, `secret_ciphertext`, `key_id`, `last_step`)
SELECT `id`, `user_id`, 'totp', 'Authenticator app', `created_at`, `enabled_at`, `secret_ciphertext`, `key_id`, `last_step` FROM `twofold_factors`;
