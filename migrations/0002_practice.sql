ALTER TABLE `accounts` ADD `erased_at` integer;--> statement-breakpoint
CREATE INDEX `audit_event` ON `audit_log` (`event`,`at`);