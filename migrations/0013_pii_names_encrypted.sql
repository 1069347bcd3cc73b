ALTER TABLE "customers" ADD COLUMN "name_enc" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "name_idx" text;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "prospect_name_enc" text;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "prospect_name_idx" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "customer_name_enc" text;--> statement-breakpoint
CREATE INDEX "customers_name_idx" ON "customers" USING btree ("name_idx");