CREATE TABLE "tracking_exception_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"exception_id" uuid NOT NULL,
	"text" text NOT NULL,
	"owner_id" uuid,
	"due_on" date,
	"done_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_exceptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"type" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner_id" uuid NOT NULL,
	"order_id" uuid,
	"lot_id" uuid,
	"shipment_id" uuid,
	"response_plan" text,
	"resolution" text,
	"response_due_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	"escalated_to_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"category" text NOT NULL,
	"source" text DEFAULT 'staff' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"customer_id" uuid NOT NULL,
	"customer_name" text NOT NULL,
	"contact_id" uuid,
	"order_id" uuid,
	"product_id" uuid,
	"rating" integer,
	"content" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"reply_due_at" timestamp with time zone NOT NULL,
	"reply" text,
	"reply_channel" text,
	"replied_at" timestamp with time zone,
	"replied_by" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tracking_exception_actions" ADD CONSTRAINT "tracking_exception_actions_exception_id_tracking_exceptions_id_fk" FOREIGN KEY ("exception_id") REFERENCES "public"."tracking_exceptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tracking_exception_actions_exc_idx" ON "tracking_exception_actions" USING btree ("exception_id");--> statement-breakpoint
CREATE INDEX "tracking_exceptions_status_idx" ON "tracking_exceptions" USING btree ("status","severity");--> statement-breakpoint
CREATE INDEX "tracking_exceptions_order_idx" ON "tracking_exceptions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "tracking_exceptions_number_idx" ON "tracking_exceptions" USING btree ("number");--> statement-breakpoint
CREATE INDEX "tracking_feedback_status_idx" ON "tracking_feedback" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "tracking_feedback_customer_idx" ON "tracking_feedback" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "tracking_feedback_category_idx" ON "tracking_feedback" USING btree ("category","created_at");