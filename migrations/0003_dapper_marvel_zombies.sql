ALTER TABLE `accounts` ADD `staff_contact_changed_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `staff_mfa_reset_at` integer;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `hash` text;