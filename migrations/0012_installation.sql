CREATE TABLE `installation` (
	`id` integer PRIMARY KEY NOT NULL,
	`decoy_key` text NOT NULL,
	`created_at` integer NOT NULL
);
