CREATE TABLE "quality_inspection_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "quality_standards" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "quality_inspection_files" ADD CONSTRAINT "quality_inspection_files_inspection_id_quality_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."quality_inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quality_inspection_files_inspection_idx" ON "quality_inspection_files" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "quality_inspections_standard_idx" ON "quality_inspections" USING btree ("standard_id","inspected_on");