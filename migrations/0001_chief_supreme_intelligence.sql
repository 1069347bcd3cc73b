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
ALTER TABLE "price_list_lines" ADD CONSTRAINT "price_list_lines_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_lines" ADD CONSTRAINT "price_list_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_units" ADD CONSTRAINT "product_units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_contacts" ADD CONSTRAINT "customer_contacts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_files" ADD CONSTRAINT "customer_files_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_qualifications" ADD CONSTRAINT "customer_qualifications_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("sales_owner_id");