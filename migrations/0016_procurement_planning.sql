CREATE TABLE "planning_capacities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text NOT NULL,
	"name" text NOT NULL,
	"daily_capacity" numeric(18, 3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planning_crop_calendars" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"base_id" uuid,
	"variety" text,
	"season" text NOT NULL,
	"sow_from" text NOT NULL,
	"sow_to" text NOT NULL,
	"transplant_from" text,
	"transplant_to" text,
	"harvest_from" text NOT NULL,
	"harvest_to" text NOT NULL,
	"growth_days" integer NOT NULL,
	"expected_yield_per_mu" numeric(18, 3) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planning_forecasts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planning_plan_stages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"milestone" text,
	"responsible_id" uuid,
	"resource_type" text,
	"resource_id" text
);
--> statement-breakpoint
CREATE TABLE "planning_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"delivery_date" date NOT NULL,
	"calendar_id" uuid,
	"order_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"at_risk" boolean DEFAULT false NOT NULL,
	"risk_reason" text,
	"override_reason" text,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planning_task_photos" (
	"id" uuid PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planning_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"stage_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"assignee_id" uuid,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"progress_pct" integer DEFAULT 0 NOT NULL,
	"quantity_done" numeric(18, 3),
	"unit" text,
	"problem" text,
	"field_id" uuid,
	"location_id" uuid,
	"lot_id" uuid,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "procurement_material_levels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"safety_stock" numeric(18, 3) NOT NULL,
	"reorder_point" numeric(18, 3) NOT NULL,
	"reorder_quantity" numeric(18, 3) DEFAULT '0' NOT NULL,
	"supplier_id" uuid,
	"unit_price_fen" bigint,
	"inspection_standard_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"po_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"unit" text NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"received_quantity" numeric(18, 3) DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"supplier_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"expected_date" date NOT NULL,
	"total_fen" bigint DEFAULT 0 NOT NULL,
	"note" text,
	"sent_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchase_receipts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"po_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"supplier_lot_no" text NOT NULL,
	"received_on" date NOT NULL,
	"on_time" boolean NOT NULL,
	"inspection_id" uuid,
	"received_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supplier_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"supplier_id" uuid NOT NULL,
	"type" text NOT NULL,
	"number" text NOT NULL,
	"issued_on" date,
	"expires_on" date,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"usci" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"contact_name" text,
	"phone" text,
	"email" text,
	"address" text,
	"lead_days" integer DEFAULT 7 NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "planning_plan_stages" ADD CONSTRAINT "planning_plan_stages_plan_id_planning_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."planning_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_plans" ADD CONSTRAINT "planning_plans_calendar_id_planning_crop_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."planning_crop_calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_task_photos" ADD CONSTRAINT "planning_task_photos_task_id_planning_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."planning_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_tasks" ADD CONSTRAINT "planning_tasks_plan_id_planning_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."planning_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_tasks" ADD CONSTRAINT "planning_tasks_stage_id_planning_plan_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."planning_plan_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_material_levels" ADD CONSTRAINT "procurement_material_levels_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_po_id_purchase_orders_id_fk" FOREIGN KEY ("po_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipts" ADD CONSTRAINT "purchase_receipts_po_id_purchase_orders_id_fk" FOREIGN KEY ("po_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_receipts" ADD CONSTRAINT "purchase_receipts_line_id_purchase_order_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."purchase_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_documents" ADD CONSTRAINT "supplier_documents_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "planning_capacities_uq" ON "planning_capacities" USING btree ("resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "planning_crop_calendars_product_idx" ON "planning_crop_calendars" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "planning_forecasts_uq" ON "planning_forecasts" USING btree ("product_id","week_start");--> statement-breakpoint
CREATE UNIQUE INDEX "planning_plan_stages_uq" ON "planning_plan_stages" USING btree ("plan_id","seq");--> statement-breakpoint
CREATE INDEX "planning_plan_stages_resource_idx" ON "planning_plan_stages" USING btree ("resource_type","resource_id");--> statement-breakpoint
CREATE UNIQUE INDEX "planning_plans_code_uq" ON "planning_plans" USING btree ("code");--> statement-breakpoint
CREATE INDEX "planning_plans_product_idx" ON "planning_plans" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "planning_plans_status_idx" ON "planning_plans" USING btree ("status");--> statement-breakpoint
CREATE INDEX "planning_task_photos_task_idx" ON "planning_task_photos" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "planning_tasks_plan_idx" ON "planning_tasks" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "planning_tasks_assignee_idx" ON "planning_tasks" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "planning_tasks_due_idx" ON "planning_tasks" USING btree ("due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "procurement_material_levels_uq" ON "procurement_material_levels" USING btree ("product_id","warehouse_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_order_lines_uq" ON "purchase_order_lines" USING btree ("po_id","line_no");--> statement-breakpoint
CREATE INDEX "purchase_order_lines_product_idx" ON "purchase_order_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_code_uq" ON "purchase_orders" USING btree ("code");--> statement-breakpoint
CREATE INDEX "purchase_orders_supplier_idx" ON "purchase_orders" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_status_idx" ON "purchase_orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "purchase_receipts_po_idx" ON "purchase_receipts" USING btree ("po_id");--> statement-breakpoint
CREATE INDEX "purchase_receipts_supplier_idx" ON "purchase_receipts" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "purchase_receipts_lot_idx" ON "purchase_receipts" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "supplier_documents_supplier_idx" ON "supplier_documents" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "supplier_documents_expiry_idx" ON "supplier_documents" USING btree ("expires_on");--> statement-breakpoint
CREATE UNIQUE INDEX "suppliers_code_uq" ON "suppliers" USING btree ("code");--> statement-breakpoint
CREATE INDEX "suppliers_status_idx" ON "suppliers" USING btree ("status");