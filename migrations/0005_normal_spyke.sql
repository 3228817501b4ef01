CREATE TABLE `oidc_artifacts` (
	`model` text NOT NULL,
	`id` text NOT NULL,
	`payload` text NOT NULL,
	`grant_id` text,
	`uid` text,
	`expires_at` integer NOT NULL,
	`consumed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oidc_artifacts_key` ON `oidc_artifacts` (`model`,`id`);--> statement-breakpoint
CREATE INDEX `oidc_artifacts_grant` ON `oidc_artifacts` (`grant_id`);--> statement-breakpoint
CREATE INDEX `oidc_artifacts_uid` ON `oidc_artifacts` (`model`,`uid`);--> statement-breakpoint
CREATE INDEX `oidc_artifacts_expires` ON `oidc_artifacts` (`expires_at`);--> statement-breakpoint
CREATE TABLE `oidc_clients` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`secret_enc` text NOT NULL,
	`redirect_uris` text NOT NULL,
	`post_logout_uris` text DEFAULT '[]' NOT NULL,
	`backchannel_logout_uri` text,
	`first_party` integer DEFAULT false NOT NULL,
	`id_token_alg` text DEFAULT 'RS256' NOT NULL,
	`auth_method` text DEFAULT 'client_secret_basic' NOT NULL,
	`created_at` integer NOT NULL,
	`secret_rotated_at` integer
);
--> statement-breakpoint
CREATE TABLE `oidc_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`alg` text NOT NULL,
	`private_jwk_enc` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `oidc_subjects` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oidc_subjects_subject` ON `oidc_subjects` (`subject`);