-- Trigram matching for "contains" searches (lot codes and other codes users type a part of); pg_trgm is a trusted
-- contrib extension on PostgreSQL 13+ and is bundled with PGlite (loaded in src/platform/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
