-- Issue 20 on PostgreSQL: the practice an empty database starts with, as SQLite's migration 0009 makes it
-- (same slug, name, language and from_env), so `npm start` on an empty PostgreSQL database finds the one
-- practice it needs, exactly as on SQLite. A custom migration (drizzle-kit generate --custom): drizzle-kit
-- writes no data. A copy from SQLite (admin migrate-to-postgres) brings its own practice 1 and must
-- replace this row, not add beside it.
INSERT INTO "practices" ("slug", "name", "contact", "language", "from_env", "created_at")
VALUES ('praktijk', 'Praktijk De Linde', '', 'nl', true, date_trunc('milliseconds', now()));
