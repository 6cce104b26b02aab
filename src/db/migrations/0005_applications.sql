CREATE TABLE "application" (
	"county_code" char(6) NOT NULL,
	"id" uuid NOT NULL,
	"reference" text NOT NULL,
	"type_id" text NOT NULL,
	"kind" text NOT NULL,
	"policy_ref" text NOT NULL,
	"pathway_id" text,
	"applicant_provider" text NOT NULL,
	"applicant_subject" text NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_citizen_id" varchar(18),
	"state" text NOT NULL,
	"needs_county_approval" boolean NOT NULL,
	"facts" jsonb NOT NULL,
	"decision" jsonb NOT NULL,
	"form" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"deadline" date,
	"clock" jsonb NOT NULL,
	"required_changes" jsonb NOT NULL,
	"refusal" jsonb,
	"register_event_id" uuid,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "application_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "application_event" (
	"county_code" char(6) NOT NULL,
	"application_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"event" jsonb NOT NULL,
	CONSTRAINT "application_event_county_code_application_id_seq_pk" PRIMARY KEY("county_code","application_id","seq")
);
--> statement-breakpoint
CREATE TABLE "application_material" (
	"county_code" char(6) NOT NULL,
	"id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"material_key" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" char(64) NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"uploaded_by" text NOT NULL,
	CONSTRAINT "application_material_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "audit_chain_head" (
	"chain" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" char(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entry" (
	"chain" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"source_address" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"outcome" text NOT NULL,
	"status" integer,
	"request_id" text,
	"details" jsonb,
	"suite" text NOT NULL,
	"prev_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL,
	CONSTRAINT "audit_entry_chain_seq_pk" PRIMARY KEY("chain","seq")
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" uuid PRIMARY KEY NOT NULL,
	"county_code" char(6) NOT NULL,
	"application_id" uuid NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient" text NOT NULL,
	"title" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox_message" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"notification_id" uuid,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "issued_document" ADD COLUMN "application_id" uuid;--> statement-breakpoint
CREATE INDEX "application_id_idx" ON "application" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "application_reference_idx" ON "application" USING btree ("county_code","reference");--> statement-breakpoint
CREATE INDEX "application_queue_idx" ON "application" USING btree ("county_code","state","deadline");--> statement-breakpoint
CREATE INDEX "application_applicant_idx" ON "application" USING btree ("applicant_provider","applicant_subject");--> statement-breakpoint
CREATE INDEX "application_material_application_idx" ON "application_material" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "audit_entry_at_idx" ON "audit_entry" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_entry_actor_idx" ON "audit_entry" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "notification_recipient_idx" ON "notification" USING btree ("recipient_kind","recipient","created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox_message" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER application_event_no_change BEFORE UPDATE OR DELETE ON application_event FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER application_event_no_truncate BEFORE TRUNCATE ON application_event FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE SEQUENCE application_reference_seq;
