-- Issue 20: the practice every installation starts with. On an upgrade it adopts every existing account;
-- on an empty database it is the one practice `npm start` needs. Its name and contact are taken from
-- PRACTICE_NAME and PRACTICE_CONTACT at start while `from_env` is set (src/domain/practices.ts); the name
-- here is PRACTICE_NAME's default. A custom migration (drizzle-kit generate --custom): drizzle-kit writes
-- no data, and accounts.practice_id can only become NOT NULL (0010) once every row has one.
INSERT INTO `practices` (`slug`, `name`, `contact`, `language`, `from_env`, `created_at`)
VALUES ('praktijk', 'Praktijk De Linde', '', 'nl', 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
--> statement-breakpoint
UPDATE `accounts` SET `practice_id` = (SELECT `id` FROM `practices` WHERE `slug` = 'praktijk') WHERE `practice_id` IS NULL;
