-- History tables are append-only: corrections are new rows (trace events carry errorDeclaration).
CREATE OR REPLACE FUNCTION agri_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER trace_events_no_update_delete BEFORE UPDATE OR DELETE ON trace_events FOR EACH ROW EXECUTE FUNCTION agri_append_only();
--> statement-breakpoint
CREATE TRIGGER trace_events_no_truncate BEFORE TRUNCATE ON trace_events FOR EACH STATEMENT EXECUTE FUNCTION agri_append_only();
--> statement-breakpoint
CREATE TRIGGER stock_ledger_no_update_delete BEFORE UPDATE OR DELETE ON stock_ledger FOR EACH ROW EXECUTE FUNCTION agri_append_only();
--> statement-breakpoint
CREATE TRIGGER stock_ledger_no_truncate BEFORE TRUNCATE ON stock_ledger FOR EACH STATEMENT EXECUTE FUNCTION agri_append_only();
--> statement-breakpoint
CREATE TRIGGER state_history_no_update_delete BEFORE UPDATE OR DELETE ON state_history FOR EACH ROW EXECUTE FUNCTION agri_append_only();
