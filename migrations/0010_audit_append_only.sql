-- The audit log is append-only: a row is inserted unsealed, sealed once (chain_pos, prev_hash, hash set by the sealer,
-- nothing else changed), and never updated again, deleted or truncated. Tampering that bypasses this (a superuser
-- disabling triggers) is found by `audit verify` (keyed hash chain and the anchor outside the database).
CREATE OR REPLACE FUNCTION agri_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.chain_pos IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
      RAISE EXCEPTION 'audit_log rows are inserted unsealed' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.chain_pos IS NOT NULL OR NEW.chain_pos IS NULL OR NEW.hash IS NULL
     OR (NEW.id, NEW.seq, NEW.at, NEW.actor_id, NEW.actor_name, NEW.action, NEW.entity, NEW.entity_id, NEW.ip, NEW.before, NEW.after)
        IS DISTINCT FROM (OLD.id, OLD.seq, OLD.at, OLD.actor_id, OLD.actor_name, OLD.action, OLD.entity, OLD.entity_id, OLD.ip, OLD.before, OLD.after) THEN
    RAISE EXCEPTION 'audit_log rows are sealed once and never changed' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION agri_audit_guard();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION agri_audit_guard();
