CREATE SEQUENCE "public"."sscc_serial" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "backorders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pick_list_line_id" uuid NOT NULL,
	"pick_list_number" text NOT NULL,
	"order_id" uuid NOT NULL,
	"order_number" text NOT NULL,
	"order_line_id" uuid,
	"product_id" uuid NOT NULL,
	"product_code" text NOT NULL,
	"product_name" text NOT NULL,
	"unit" text NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "carrier_contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"carrier_id" uuid NOT NULL,
	"number" text NOT NULL,
	"service_type" text NOT NULL,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"temp_class" text DEFAULT 'ambient' NOT NULL,
	"temp_min_c" numeric(5, 1),
	"temp_max_c" numeric(5, 1),
	"transit_days" integer NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"per_kg_fen" bigint DEFAULT 0 NOT NULL,
	"per_shipment_fen" bigint DEFAULT 0 NOT NULL,
	"min_charge_fen" bigint DEFAULT 0 NOT NULL,
	"region_rates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quality_terms" text,
	"safety_terms" text,
	"liability_terms" text,
	"liability_limit_fen" bigint,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "carriers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"own_fleet" boolean DEFAULT false NOT NULL,
	"contact_name" text,
	"phone" text,
	"tracking_url_template" text,
	"active" boolean DEFAULT true NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_choices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"cost_fen" bigint NOT NULL,
	"weight_kg" numeric(14,3) NOT NULL,
	"dispatch_date" date NOT NULL,
	"arrival_date" date NOT NULL,
	"chosen_by" text NOT NULL,
	"chosen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispatch_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shipment_id" uuid NOT NULL,
	"results" jsonb NOT NULL,
	"product_temp_c" numeric(5, 1),
	"passed" boolean NOT NULL,
	"checked_by" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pick_list_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pick_list_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"order_id" uuid NOT NULL,
	"order_number" text NOT NULL,
	"order_line_id" uuid,
	"reservation_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"product_code" text NOT NULL,
	"product_name" text NOT NULL,
	"lot_id" uuid NOT NULL,
	"lot_code" text NOT NULL,
	"expiry_date" date NOT NULL,
	"location_id" uuid NOT NULL,
	"location_code" text NOT NULL,
	"warehouse_code" text NOT NULL,
	"unit" text NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"picked_quantity" numeric(14,3),
	"scanned_lot_code" text,
	"status" text DEFAULT 'open' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pick_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_ids" uuid[] NOT NULL,
	"order_numbers" text[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shipment_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shipment_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"product_name" text NOT NULL,
	"catch_weight" boolean DEFAULT false NOT NULL,
	"unit" text NOT NULL,
	"nominal_quantity" numeric(14,3) NOT NULL,
	"actual_kg" numeric(14,3),
	"ordered_amount_fen" bigint NOT NULL,
	"invoiced_amount_fen" bigint NOT NULL,
	"deviation_pct" numeric(7, 2),
	"lots" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shipment_packages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shipment_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"sscc" text NOT NULL,
	"package_type" text NOT NULL,
	"order_line_id" uuid NOT NULL,
	"quantity" numeric(14,3) NOT NULL,
	"actual_kg" numeric(14,3)
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" uuid NOT NULL,
	"order_number" text NOT NULL,
	"customer_name" text NOT NULL,
	"status" text DEFAULT 'packing' NOT NULL,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"temp_min_c" numeric(5, 1),
	"temp_max_c" numeric(5, 1),
	"weight_status" text DEFAULT 'ok' NOT NULL,
	"weight_approved_by" text,
	"weight_approved_at" timestamp with time zone,
	"carrier_id" uuid,
	"contract_id" uuid,
	"carrier_name" text,
	"tracking_number" text,
	"tracking_url" text,
	"driver" text,
	"vehicle" text,
	"dispatched_at" timestamp with time zone,
	"dispatched_by" text,
	"delivered_at" timestamp with time zone,
	"receiver" text,
	"proof_note" text,
	"failed_reason" text,
	"due_date" date,
	"damaged" boolean DEFAULT false NOT NULL,
	"excursion" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "temperature_readings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shipment_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"celsius" numeric(5, 1) NOT NULL,
	"device_id" text NOT NULL,
	"out_of_band" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backorders" ADD CONSTRAINT "backorders_pick_list_line_id_pick_list_lines_id_fk" FOREIGN KEY ("pick_list_line_id") REFERENCES "public"."pick_list_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_contracts" ADD CONSTRAINT "carrier_contracts_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_choices" ADD CONSTRAINT "delivery_choices_contract_id_carrier_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."carrier_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_choices" ADD CONSTRAINT "delivery_choices_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatch_checks" ADD CONSTRAINT "dispatch_checks_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pick_list_lines" ADD CONSTRAINT "pick_list_lines_pick_list_id_pick_lists_id_fk" FOREIGN KEY ("pick_list_id") REFERENCES "public"."pick_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_packages" ADD CONSTRAINT "shipment_packages_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_contract_id_carrier_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."carrier_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "temperature_readings" ADD CONSTRAINT "temperature_readings_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backorders_status_idx" ON "backorders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "backorders_order_idx" ON "backorders" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_contracts_number_uq" ON "carrier_contracts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "carrier_contracts_carrier_idx" ON "carrier_contracts" USING btree ("carrier_id","valid_to");--> statement-breakpoint
CREATE UNIQUE INDEX "carriers_code_uq" ON "carriers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_choices_order_uq" ON "delivery_choices" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "dispatch_checks_shipment_idx" ON "dispatch_checks" USING btree ("shipment_id","checked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pick_list_lines_seq_uq" ON "pick_list_lines" USING btree ("pick_list_id","seq");--> statement-breakpoint
CREATE INDEX "pick_list_lines_reservation_idx" ON "pick_list_lines" USING btree ("reservation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pick_lists_number_uq" ON "pick_lists" USING btree ("number");--> statement-breakpoint
CREATE INDEX "pick_lists_status_idx" ON "pick_lists" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "shipment_lines_shipment_idx" ON "shipment_lines" USING btree ("shipment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipment_packages_sscc_uq" ON "shipment_packages" USING btree ("sscc");--> statement-breakpoint
CREATE INDEX "shipment_packages_shipment_idx" ON "shipment_packages" USING btree ("shipment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_number_uq" ON "shipments" USING btree ("number");--> statement-breakpoint
CREATE INDEX "shipments_order_idx" ON "shipments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "shipments_status_idx" ON "shipments" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_tracking_uq" ON "shipments" USING btree ("tracking_number");--> statement-breakpoint
CREATE INDEX "temperature_readings_shipment_idx" ON "temperature_readings" USING btree ("shipment_id","at");