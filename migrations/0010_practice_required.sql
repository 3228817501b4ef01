PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`phone` text NOT NULL,
	`role` text DEFAULT 'patient' NOT NULL,
	`created_at` integer NOT NULL,
	`email_verified_at` integer,
	`phone_verified_at` integer,
	`password_hash` text,
	`password_set_at` integer,
	`mfa_method` text,
	`mfa_enrolled_at` integer,
	`totp_secret_enc` text,
	`totp_pending_secret_enc` text,
	`totp_last_step` integer,
	`last_sign_in_at` integer,
	`deactivated_at` integer,
	`erased_at` integer,
	`staff_contact_changed_at` integer,
	`staff_mfa_reset_at` integer,
	`language` text DEFAULT 'nl' NOT NULL,
	`practice_id` integer NOT NULL,
	FOREIGN KEY (`practice_id`) REFERENCES `practices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_accounts`("id", "username", "name", "email", "phone", "role", "created_at", "email_verified_at", "phone_verified_at", "password_hash", "password_set_at", "mfa_method", "mfa_enrolled_at", "totp_secret_enc", "totp_pending_secret_enc", "totp_last_step", "last_sign_in_at", "deactivated_at", "erased_at", "staff_contact_changed_at", "staff_mfa_reset_at", "language", "practice_id") SELECT "id", "username", "name", "email", "phone", "role", "created_at", "email_verified_at", "phone_verified_at", "password_hash", "password_set_at", "mfa_method", "mfa_enrolled_at", "totp_secret_enc", "totp_pending_secret_enc", "totp_last_step", "last_sign_in_at", "deactivated_at", "erased_at", "staff_contact_changed_at", "staff_mfa_reset_at", "language", "practice_id" FROM `accounts`;--> statement-breakpoint
DROP TABLE `accounts`;--> statement-breakpoint
ALTER TABLE `__new_accounts` RENAME TO `accounts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_username` ON `accounts` (`username`);--> statement-breakpoint
CREATE INDEX `accounts_practice` ON `accounts` (`practice_id`,`role`);