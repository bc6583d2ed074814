DROP INDEX `twofold_users_role_idx`;--> statement-breakpoint
DROP INDEX `twofold_users_created_idx`;--> statement-breakpoint
CREATE INDEX `twofold_users_role_idx` ON `twofold_users` (`role`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `twofold_users_created_idx` ON `twofold_users` (`created_at`,`id`);