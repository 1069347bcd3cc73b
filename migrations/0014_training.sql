CREATE TABLE "training_assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"plan_id" uuid,
	"assessor_id" uuid,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"period" text,
	"score_percent" integer NOT NULL,
	"result" text NOT NULL,
	"comment" text,
	"certificate_type_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"exam_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"attempt_no" integer NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"points" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"max_points" integer NOT NULL,
	"score_percent" integer,
	"result" text,
	"remedial_id" uuid,
	"marked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_attendance" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_at" timestamp with time zone,
	"method" text,
	"minutes_credited" integer
);
--> statement-breakpoint
CREATE TABLE "training_certificate_types" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"validity_days" integer NOT NULL,
	"gated_permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"type_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date NOT NULL,
	"attempt_id" uuid,
	"assessment_id" uuid,
	"status" text DEFAULT 'valid' NOT NULL,
	"alerted_for" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_courses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"title" text NOT NULL,
	"minutes" integer NOT NULL,
	"target_date" date NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_exams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"topic" text NOT NULL,
	"plan_id" uuid,
	"question_ids" uuid[] NOT NULL,
	"pass_mark" integer NOT NULL,
	"excellent_mark" integer NOT NULL,
	"time_limit_minutes" integer NOT NULL,
	"attempt_limit" integer NOT NULL,
	"remedy" text DEFAULT 'retest' NOT NULL,
	"remedy_days" integer DEFAULT 14 NOT NULL,
	"certificate_type_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"role" text,
	"department" text,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_questions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"answer" jsonb,
	"points" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_remedials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"exam_id" uuid,
	"failed_attempt_id" uuid,
	"failed_assessment_id" uuid,
	"topic" text NOT NULL,
	"kind" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"training_done_at" timestamp with time zone,
	"session_id" uuid,
	"reminded_on" date,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_session_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"plan_id" uuid NOT NULL,
	"course_id" uuid,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"topic" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text,
	"link" text,
	"trainer_id" uuid,
	"minutes" integer NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"checkin_token" text NOT NULL,
	"parts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_staff" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"department" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "training_assessments" ADD CONSTRAINT "training_assessments_plan_id_training_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."training_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assessments" ADD CONSTRAINT "training_assessments_certificate_type_id_training_certificate_types_id_fk" FOREIGN KEY ("certificate_type_id") REFERENCES "public"."training_certificate_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attempts" ADD CONSTRAINT "training_attempts_exam_id_training_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."training_exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_certificates" ADD CONSTRAINT "training_certificates_type_id_training_certificate_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."training_certificate_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_courses" ADD CONSTRAINT "training_courses_plan_id_training_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."training_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_exams" ADD CONSTRAINT "training_exams_plan_id_training_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."training_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_exams" ADD CONSTRAINT "training_exams_certificate_type_id_training_certificate_types_id_fk" FOREIGN KEY ("certificate_type_id") REFERENCES "public"."training_certificate_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_remedials" ADD CONSTRAINT "training_remedials_exam_id_training_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."training_exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_session_files" ADD CONSTRAINT "training_session_files_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_plan_id_training_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."training_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_course_id_training_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_assessments_user_idx" ON "training_assessments" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_attempts_no_uq" ON "training_attempts" USING btree ("exam_id","user_id","attempt_no");--> statement-breakpoint
CREATE INDEX "training_attempts_user_idx" ON "training_attempts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_attendance_uq" ON "training_attendance" USING btree ("session_id","user_id");--> statement-breakpoint
CREATE INDEX "training_attendance_user_idx" ON "training_attendance" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_certificate_types_code_uq" ON "training_certificate_types" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "training_certificates_code_uq" ON "training_certificates" USING btree ("code");--> statement-breakpoint
CREATE INDEX "training_certificates_user_idx" ON "training_certificates" USING btree ("user_id","type_id");--> statement-breakpoint
CREATE INDEX "training_certificates_expiry_idx" ON "training_certificates" USING btree ("expires_on");--> statement-breakpoint
CREATE INDEX "training_courses_plan_idx" ON "training_courses" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_exams_code_uq" ON "training_exams" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "training_plans_code_uq" ON "training_plans" USING btree ("code");--> statement-breakpoint
CREATE INDEX "training_plans_year_idx" ON "training_plans" USING btree ("year");--> statement-breakpoint
CREATE INDEX "training_questions_topic_idx" ON "training_questions" USING btree ("topic");--> statement-breakpoint
CREATE INDEX "training_remedials_user_idx" ON "training_remedials" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "training_remedials_due_idx" ON "training_remedials" USING btree ("due_on");--> statement-breakpoint
CREATE INDEX "training_session_files_session_idx" ON "training_session_files" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_code_uq" ON "training_sessions" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_token_uq" ON "training_sessions" USING btree ("checkin_token");--> statement-breakpoint
CREATE INDEX "training_sessions_plan_idx" ON "training_sessions" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "training_sessions_starts_idx" ON "training_sessions" USING btree ("starts_at");