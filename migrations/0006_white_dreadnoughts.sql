-- order_lines.order_created_at: the order's created_at beside each line, so the orders of a product come newest first
-- from one index walk (order list filtered by product). Backfilled from orders, then required.
ALTER TABLE "order_lines" ADD COLUMN "order_created_at" timestamp with time zone;--> statement-breakpoint
UPDATE "order_lines" l SET "order_created_at" = o."created_at" FROM "orders" o WHERE o."id" = l."order_id";--> statement-breakpoint
ALTER TABLE "order_lines" ALTER COLUMN "order_created_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "order_lines_product_created_idx" ON "order_lines" USING btree ("product_id","order_created_at","order_id");
