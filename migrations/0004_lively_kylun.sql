CREATE TABLE `decoy_codes` (
	`key` text PRIMARY KEY NOT NULL,
	`binding_hash` text,
	`sent_at` integer,
	`expires_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`used_at` integer,
	`sends` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
ALTER TABLE `throttles` ADD `refused` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `throttles` ADD `notified_at` integer;