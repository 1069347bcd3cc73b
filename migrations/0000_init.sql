CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"flag" boolean
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"ip" text,
	"before" jsonb,
	"after" jsonb,
	"chain_pos" bigint,
	"prev_hash" text,
	"hash" text
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text
);
--> statement-breakpoint
CREATE TABLE "calendar_overrides" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "doc_sequences" (
	"prefix" text NOT NULL,
	"day" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "doc_sequences_prefix_day_pk" PRIMARY KEY("prefix","day")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"route" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"title" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"link" text,
	"source_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_messages_source_id_unique" UNIQUE("source_id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "state_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "state_history_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"event" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"reason" text,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"customer_id" uuid,
	"phone_enc" text,
	"phone_idx" text,
	"email_enc" text,
	"email_idx" text,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"disabled_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"password_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "price_list_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"price_list_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"unit" text NOT NULL,
	"min_quantity" numeric(14,3) DEFAULT '0' NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"floor_price_fen" bigint
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"customer_id" uuid,
	"customer_group" text,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"active" boolean DEFAULT true NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"unit" text NOT NULL,
	"factor_to_base" text NOT NULL,
	"sellable" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"kind" text NOT NULL,
	"material_type" text,
	"category" text NOT NULL,
	"variety" text,
	"spec" text,
	"grade" text,
	"base_unit" text NOT NULL,
	"origin_region" text,
	"shelf_life_days" integer,
	"storage_conditions" text,
	"temp_profile" text DEFAULT 'ambient' NOT NULL,
	"temp_min_c" integer,
	"temp_max_c" integer,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"season_months" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"gtin" text,
	"catch_weight" boolean DEFAULT false NOT NULL,
	"label_standard" text DEFAULT 'bulk' NOT NULL,
	"prepackaged" boolean DEFAULT false NOT NULL,
	"phi_days" integer,
	"allowed_use" boolean DEFAULT true NOT NULL,
	"safety_stock" numeric(14,3) DEFAULT '0' NOT NULL,
	"reorder_point" numeric(14,3) DEFAULT '0' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_addresses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"label" text NOT NULL,
	"region_code" text NOT NULL,
	"address_enc" text NOT NULL,
	"receiver_enc" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"name_enc" text NOT NULL,
	"title" text,
	"phone_enc" text,
	"phone_idx" text,
	"email_enc" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_qualifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"type" text NOT NULL,
	"number" text NOT NULL,
	"issued_on" date,
	"expires_on" date,
	"file_id" uuid,
	"alerted_for" date,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"usci" text,
	"status" text DEFAULT 'prospect' NOT NULL,
	"credit_limit_fen" bigint DEFAULT 0 NOT NULL,
	"overdue_fen" bigint DEFAULT 0 NOT NULL,
	"payment_terms_days" integer DEFAULT 0 NOT NULL,
	"credit_rating" text DEFAULT 'B' NOT NULL,
	"region_code" text,
	"sales_owner_id" uuid,
	"customer_group" text,
	"min_remaining_shelf_life_days" integer,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"code" text NOT NULL,
	"zone" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_alerts" (
	"lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"notified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lot_alerts_lot_id_kind_pk" PRIMARY KEY("lot_id","kind")
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"lot_code" text NOT NULL,
	"origin" text,
	"production_date" date NOT NULL,
	"harvest_date" date,
	"expiry_date" date NOT NULL,
	"quality_status" text NOT NULL,
	"source_type" text NOT NULL,
	"source_ref" text,
	"field_id" uuid,
	"platform_trace_code" text,
	"disposition" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ref_type" text NOT NULL,
	"ref_id" text NOT NULL,
	"ref_line_id" text,
	"product_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"original_quantity" numeric(14,3) NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"product_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"on_hand" numeric(14,3) DEFAULT '0' NOT NULL,
	"reserved" numeric(14,3) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_balances_lot_id_location_id_pk" PRIMARY KEY("lot_id","location_id"),
	CONSTRAINT "stock_balances_on_hand_nonneg" CHECK ("stock_balances"."on_hand" >= 0),
	CONSTRAINT "stock_balances_reserved_nonneg" CHECK ("stock_balances"."reserved" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_ledger" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "stock_ledger_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"movement_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"product_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"unit" text NOT NULL,
	"entered_quantity" numeric(14,3) NOT NULL,
	"entered_unit" text NOT NULL,
	"user_id" uuid,
	"user_name" text NOT NULL,
	"reason" text,
	"ref_type" text,
	"ref_id" text
);
--> statement-breakpoint
CREATE TABLE "stocktake_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"stocktake_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"expected_quantity" numeric(14,3) NOT NULL,
	"counted_quantity" numeric(14,3),
	"reason_code" text,
	"note" text,
	"counted_by" text,
	"counted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stocktakes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"zone" text,
	"category" text,
	"status" text DEFAULT 'counting' NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_by" text,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"temp_zones" text[] DEFAULT '{}'::text[] NOT NULL,
	"address" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inquiries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"channel" text NOT NULL,
	"customer_id" uuid,
	"prospect_name" text,
	"prospect_phone_enc" text,
	"prospect_phone_idx" text,
	"needs" jsonb NOT NULL,
	"notes" text,
	"owner_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"lost_reason" text,
	"order_id" uuid,
	"received_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_import_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"file_hash" text NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"report" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid,
	"description" text,
	"spec" text,
	"quantity" numeric(14,3) NOT NULL,
	"unit" text NOT NULL,
	"base_quantity" numeric(14,3),
	"unit_price_fen" bigint,
	"list_price_fen" bigint,
	"floor_price_fen" bigint,
	"price_list_id" uuid,
	"price_override_reason" text,
	"amount_fen" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_review_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"outcome" text NOT NULL,
	"code" text NOT NULL,
	"details" jsonb NOT NULL,
	"rerun" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_review_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"outcome" text NOT NULL,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"customer_code" text NOT NULL,
	"customer_name" text NOT NULL,
	"contact_id" uuid,
	"address_id" uuid,
	"delivery_region" text,
	"delivery_date" date,
	"delivery_date_to" date,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"payment_terms_days" integer DEFAULT 0 NOT NULL,
	"notes" text,
	"channel" text NOT NULL,
	"sales_owner_id" uuid,
	"inquiry_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"total_fen" bigint DEFAULT 0 NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_review_run_id" uuid,
	"status_reason" text,
	"import_key" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quality_bases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region_code" text,
	"address" text,
	"area_mu" numeric(14,3),
	"latitude" numeric(9, 6),
	"longitude" numeric(9, 6),
	"manager" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_fields" (
	"id" uuid PRIMARY KEY NOT NULL,
	"base_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"area_mu" numeric(14,3),
	"region_code" text,
	"latitude" numeric(9, 6),
	"longitude" numeric(9, 6),
	"crops" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_harvests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"field_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"lot_code" text NOT NULL,
	"product_id" uuid NOT NULL,
	"variety" text,
	"quantity" numeric(14,3) NOT NULL,
	"unit" text NOT NULL,
	"location_id" uuid NOT NULL,
	"harvested_on" date NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_input_applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"field_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"material_type" text,
	"material_lot_id" uuid,
	"material_lot_code" text,
	"dose" numeric(14,3) NOT NULL,
	"dose_unit" text NOT NULL,
	"applied_on" date NOT NULL,
	"phi_days" integer DEFAULT 0 NOT NULL,
	"safe_harvest_on" date NOT NULL,
	"operator" text NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"stage" text NOT NULL,
	"standard_id" uuid NOT NULL,
	"lot_id" uuid,
	"field_id" uuid,
	"check_type" text,
	"inspected_on" date NOT NULL,
	"valid_until" date,
	"sample_size" integer DEFAULT 1 NOT NULL,
	"values" jsonb NOT NULL,
	"result" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"lab_report_no" text,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_by" text,
	"signed_by_id" uuid,
	"signed_at" timestamp with time zone,
	"lot_decision" text
);
--> statement-breakpoint
CREATE TABLE "quality_non_conformances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"inspection_id" uuid,
	"lot_id" uuid,
	"field_id" uuid,
	"description" text NOT NULL,
	"corrective_action" text,
	"owner" text,
	"due_on" date,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_standards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"product_id" uuid,
	"check_type" text,
	"stages" text[] DEFAULT '{}'::text[] NOT NULL,
	"parameters" jsonb NOT NULL,
	"sampling_plan" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"lot_id" uuid NOT NULL,
	"product_name" text NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"unit" text NOT NULL,
	"issuer_name" text NOT NULL,
	"origin" text NOT NULL,
	"contact_phone" text NOT NULL,
	"issued_on" date NOT NULL,
	"commitments" text[] NOT NULL,
	"basis" text NOT NULL,
	"report_no" text,
	"trace_code" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_lot_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"input_lot_id" uuid NOT NULL,
	"output_lot_id" uuid NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_processing_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"lot_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"unit" text NOT NULL,
	"base_quantity" numeric(14,3) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_processing_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"run_on" date NOT NULL,
	"input_total" numeric(14,3) NOT NULL,
	"output_total" numeric(14,3) NOT NULL,
	"loss_total" numeric(14,3) NOT NULL,
	"yield_ratio" text NOT NULL,
	"over_yield_reason" text,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_recalls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"scope" jsonb NOT NULL,
	"reason" text NOT NULL,
	"drill" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"impact" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"executed_at" timestamp with time zone,
	"executed_by" text
);
--> statement-breakpoint
CREATE TABLE "trace_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "trace_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"action" text,
	"biz_step" text NOT NULL,
	"disposition" text,
	"event_time" timestamp with time zone NOT NULL,
	"record_time" timestamp with time zone NOT NULL,
	"lot_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"ref_type" text,
	"ref_id" text,
	"corrects_event_id" text,
	"body" jsonb NOT NULL,
	"actor_name" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_lines" ADD CONSTRAINT "price_list_lines_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_lines" ADD CONSTRAINT "price_list_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_units" ADD CONSTRAINT "product_units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_contacts" ADD CONSTRAINT "customer_contacts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_files" ADD CONSTRAINT "customer_files_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_qualifications" ADD CONSTRAINT "customer_qualifications_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_alerts" ADD CONSTRAINT "lot_alerts_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktake_lines" ADD CONSTRAINT "stocktake_lines_stocktake_id_stocktakes_id_fk" FOREIGN KEY ("stocktake_id") REFERENCES "public"."stocktakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktake_lines" ADD CONSTRAINT "stocktake_lines_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktake_lines" ADD CONSTRAINT "stocktake_lines_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktakes" ADD CONSTRAINT "stocktakes_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_review_results" ADD CONSTRAINT "order_review_results_run_id_order_review_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."order_review_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_review_runs" ADD CONSTRAINT "order_review_runs_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_fields" ADD CONSTRAINT "quality_fields_base_id_quality_bases_id_fk" FOREIGN KEY ("base_id") REFERENCES "public"."quality_bases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_harvests" ADD CONSTRAINT "quality_harvests_field_id_quality_fields_id_fk" FOREIGN KEY ("field_id") REFERENCES "public"."quality_fields"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_input_applications" ADD CONSTRAINT "quality_input_applications_field_id_quality_fields_id_fk" FOREIGN KEY ("field_id") REFERENCES "public"."quality_fields"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_inspections" ADD CONSTRAINT "quality_inspections_standard_id_quality_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."quality_standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_processing_lines" ADD CONSTRAINT "trace_processing_lines_run_id_trace_processing_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."trace_processing_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seq_uq" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_uq" ON "audit_log" USING btree ("chain_pos");--> statement-breakpoint
CREATE INDEX "audit_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_unsealed_idx" ON "audit_log" USING btree ("seq") WHERE chain_pos is null;--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_source_uq" ON "notifications" USING btree ("source_id","user_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_uq" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "state_history_entity_idx" ON "state_history" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "users_phone_idx" ON "users" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email_idx");--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_lines_uq" ON "price_list_lines" USING btree ("price_list_id","product_id","unit","min_quantity");--> statement-breakpoint
CREATE INDEX "price_list_lines_product_idx" ON "price_list_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_code_uq" ON "price_lists" USING btree ("code");--> statement-breakpoint
CREATE INDEX "price_lists_customer_idx" ON "price_lists" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "price_lists_validity_idx" ON "price_lists" USING btree ("valid_from","valid_to");--> statement-breakpoint
CREATE UNIQUE INDEX "product_units_uq" ON "product_units" USING btree ("product_id","unit");--> statement-breakpoint
CREATE UNIQUE INDEX "products_code_uq" ON "products" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "products_gtin_uq" ON "products" USING btree ("gtin");--> statement-breakpoint
CREATE INDEX "products_kind_idx" ON "products" USING btree ("kind","category");--> statement-breakpoint
CREATE INDEX "customer_addresses_customer_idx" ON "customer_addresses" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_addresses_phone_idx" ON "customer_addresses" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "customer_contacts_customer_idx" ON "customer_contacts" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_contacts_phone_idx" ON "customer_contacts" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "customer_qualifications_customer_idx" ON "customer_qualifications" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_qualifications_expiry_idx" ON "customer_qualifications" USING btree ("expires_on");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_code_uq" ON "customers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_usci_uq" ON "customers" USING btree ("usci");--> statement-breakpoint
CREATE INDEX "customers_region_idx" ON "customers" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("sales_owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_code_uq" ON "locations" USING btree ("warehouse_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "lots_code_uq" ON "lots" USING btree ("product_id","lot_code");--> statement-breakpoint
CREATE INDEX "lots_expiry_idx" ON "lots" USING btree ("product_id","expiry_date");--> statement-breakpoint
CREATE INDEX "lots_status_idx" ON "lots" USING btree ("quality_status");--> statement-breakpoint
CREATE INDEX "lots_expiry_code_idx" ON "lots" USING btree ("expiry_date","lot_code","id");--> statement-breakpoint
CREATE INDEX "reservations_ref_idx" ON "reservations" USING btree ("ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "reservations_lot_idx" ON "reservations" USING btree ("lot_id","location_id","status");--> statement-breakpoint
CREATE INDEX "reservations_product_idx" ON "reservations" USING btree ("product_id","status");--> statement-breakpoint
CREATE INDEX "stock_balances_product_idx" ON "stock_balances" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "stock_balances_location_idx" ON "stock_balances" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "stock_ledger_lot_idx" ON "stock_ledger" USING btree ("lot_id","seq");--> statement-breakpoint
CREATE INDEX "stock_ledger_product_idx" ON "stock_ledger" USING btree ("product_id","at");--> statement-breakpoint
CREATE INDEX "stock_ledger_ref_idx" ON "stock_ledger" USING btree ("ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "stock_ledger_location_idx" ON "stock_ledger" USING btree ("location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stocktake_lines_uq" ON "stocktake_lines" USING btree ("stocktake_id","lot_id","location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stocktakes_number_uq" ON "stocktakes" USING btree ("number");--> statement-breakpoint
CREATE INDEX "stocktakes_wh_idx" ON "stocktakes" USING btree ("warehouse_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "warehouses_code_uq" ON "warehouses" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "inquiries_number_uq" ON "inquiries" USING btree ("number");--> statement-breakpoint
CREATE INDEX "inquiries_status_idx" ON "inquiries" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "inquiries_customer_idx" ON "inquiries" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "inquiries_owner_idx" ON "inquiries" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "order_import_jobs_created_idx" ON "order_import_jobs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_lines_no_uq" ON "order_lines" USING btree ("order_id","line_no");--> statement-breakpoint
CREATE INDEX "order_lines_product_idx" ON "order_lines" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "order_review_results_run_idx" ON "order_review_results" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "order_review_results_order_idx" ON "order_review_results" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_review_runs_order_idx" ON "order_review_runs" USING btree ("order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_uq" ON "orders" USING btree ("number");--> statement-breakpoint
CREATE INDEX "orders_number_prefix_idx" ON "orders" USING btree ("number" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "orders_import_key_uq" ON "orders" USING btree ("import_key");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_owner_idx" ON "orders" USING btree ("sales_owner_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_delivery_idx" ON "orders" USING btree ("delivery_date");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "orders_customer_name_idx" ON "orders" USING btree ("customer_name");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_bases_code_uq" ON "quality_bases" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_fields_code_uq" ON "quality_fields" USING btree ("code");--> statement-breakpoint
CREATE INDEX "quality_fields_base_idx" ON "quality_fields" USING btree ("base_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_harvests_lot_uq" ON "quality_harvests" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "quality_harvests_field_idx" ON "quality_harvests" USING btree ("field_id","harvested_on");--> statement-breakpoint
CREATE INDEX "quality_harvests_date_idx" ON "quality_harvests" USING btree ("harvested_on");--> statement-breakpoint
CREATE INDEX "quality_inputs_field_idx" ON "quality_input_applications" USING btree ("field_id","applied_on");--> statement-breakpoint
CREATE INDEX "quality_inputs_mlot_idx" ON "quality_input_applications" USING btree ("material_lot_id");--> statement-breakpoint
CREATE INDEX "quality_inputs_mcode_idx" ON "quality_input_applications" USING btree ("material_lot_code");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_inspections_number_uq" ON "quality_inspections" USING btree ("number");--> statement-breakpoint
CREATE INDEX "quality_inspections_lot_idx" ON "quality_inspections" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "quality_inspections_field_idx" ON "quality_inspections" USING btree ("field_id","check_type");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_nc_number_uq" ON "quality_non_conformances" USING btree ("number");--> statement-breakpoint
CREATE INDEX "quality_nc_status_idx" ON "quality_non_conformances" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_standards_code_uq" ON "quality_standards" USING btree ("code");--> statement-breakpoint
CREATE INDEX "quality_standards_product_idx" ON "quality_standards" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trace_certificates_number_uq" ON "trace_certificates" USING btree ("number");--> statement-breakpoint
CREATE INDEX "trace_certificates_lot_idx" ON "trace_certificates" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "trace_links_in_idx" ON "trace_lot_links" USING btree ("input_lot_id","output_lot_id");--> statement-breakpoint
CREATE INDEX "trace_links_out_idx" ON "trace_lot_links" USING btree ("output_lot_id","input_lot_id");--> statement-breakpoint
CREATE INDEX "trace_lines_run_idx" ON "trace_processing_lines" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "trace_lines_lot_idx" ON "trace_processing_lines" USING btree ("lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trace_runs_number_uq" ON "trace_processing_runs" USING btree ("number");--> statement-breakpoint
CREATE INDEX "trace_runs_date_idx" ON "trace_processing_runs" USING btree ("run_on");--> statement-breakpoint
CREATE UNIQUE INDEX "trace_recalls_number_uq" ON "trace_recalls" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "trace_codes_lot_uq" ON "trace_codes" USING btree ("lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trace_events_event_id_uq" ON "trace_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "trace_events_time_idx" ON "trace_events" USING btree ("event_time");--> statement-breakpoint
CREATE INDEX "trace_events_lots_gin" ON "trace_events" USING gin ("lot_ids");