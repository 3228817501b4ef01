CREATE TABLE `practices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`contact` text NOT NULL,
	`language` text DEFAULT 'nl' NOT NULL,
	`from_env` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `practices_slug` ON `practices` (`slug`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `practice_id` integer REFERENCES practices(id);--> statement-breakpoint
CREATE INDEX `accounts_practice` ON `accounts` (`practice_id`,`role`);--> statement-breakpoint
ALTER TABLE `oidc_clients` ADD `practice_id` integer REFERENCES practices(id);--> statement-breakpoint
ALTER TABLE `outbox` ADD `sender_name` text;