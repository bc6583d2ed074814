CREATE TABLE `twofold_step_ups` (
	`key` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`verified_until` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `twofold_webauthn_challenges` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`bound_to` text NOT NULL,
	`challenge_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `twofold_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twofold_webauthn_challenges_binding_unique` ON `twofold_webauthn_challenges` (`purpose`,`bound_to`);--> statement-breakpoint
CREATE INDEX `twofold_webauthn_challenges_user_idx` ON `twofold_webauthn_challenges` (`user_id`);