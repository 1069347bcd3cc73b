-- Trace events are append-only: corrections are new events carrying errorDeclaration.
CREATE OR REPLACE FUNCTION trace_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'trace_events is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER trace_events_no_update_delete BEFORE UPDATE OR DELETE ON trace_events FOR EACH ROW EXECUTE FUNCTION trace_events_append_only();
--> statement-breakpoint
CREATE TRIGGER trace_events_no_truncate BEFORE TRUNCATE ON trace_events FOR EACH STATEMENT EXECUTE FUNCTION trace_events_append_only();
