-- SQL helpers for single-statement writes (see docs/decisions/0003-single-statement-reservation.md).
-- agri_uuidv7(): a UUID version 7 (48-bit Unix milliseconds, then random), the same layout as the application's ids.
CREATE OR REPLACE FUNCTION agri_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;
--> statement-breakpoint
-- agri_assert(ok, msg): aborts the statement with a serialization failure (SQLSTATE 40001, retried by the
-- application) unless ok; used to make a multi-CTE write all-or-nothing.
CREATE OR REPLACE FUNCTION agri_assert(ok boolean, msg text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF NOT coalesce(ok, false) THEN
    RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = msg;
  END IF;
  RETURN true;
END
$$;
