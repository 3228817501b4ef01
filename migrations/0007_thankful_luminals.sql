ALTER TABLE `codes` ADD `sender` text;--> statement-breakpoint
ALTER TABLE `codes` ADD `trusted` integer DEFAULT false NOT NULL;