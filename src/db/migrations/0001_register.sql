CREATE TABLE "household" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_number" char(15) NOT NULL,
	"type" text NOT NULL,
	"address" jsonb NOT NULL,
	"county_code" char(6) NOT NULL,
	"village_code" varchar(12),
	"head_person_id" uuid,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_number_sequence" (
	"county_code" char(6) PRIMARY KEY NOT NULL,
	"last_serial" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_key" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" char(64) NOT NULL,
	"status" text NOT NULL,
	"locked_until" timestamp with time zone NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_key_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "ledger_head" (
	"county_code" char(6) PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" char(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"household_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"relationship" varchar(2) NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"event_id" uuid NOT NULL,
	CONSTRAINT "membership_household_id_person_id_valid_from_pk" PRIMARY KEY("household_id","person_id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "person" (
	"id" uuid PRIMARY KEY NOT NULL,
	"citizen_id" char(18) NOT NULL,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"former_names" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sex" char(1) NOT NULL,
	"birth_date" date NOT NULL,
	"ethnicity" varchar(2) NOT NULL,
	"birthplace" char(6) NOT NULL,
	"education" varchar(2),
	"marital_status" varchar(2),
	"occupation" text,
	"service_place" text,
	"legacy_hukou_nature" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"county_code" char(6) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "register_event" (
	"county_code" char(6) NOT NULL,
	"seq" bigint NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"effective_date" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"officer_id" text NOT NULL,
	"officer_county" char(6) NOT NULL,
	"source_application" text,
	"person_ids" uuid[] NOT NULL,
	"household_ids" uuid[] NOT NULL,
	"payload" jsonb NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL,
	CONSTRAINT "register_event_county_code_seq_pk" PRIMARY KEY("county_code","seq")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "household_number_idx" ON "household" USING btree ("household_number");--> statement-breakpoint
CREATE INDEX "household_county_idx" ON "household" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "idempotency_expiry_idx" ON "idempotency_key" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "membership_person_idx" ON "membership" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_citizen_id_idx" ON "person" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "person_name_idx" ON "person" USING btree ("name");--> statement-breakpoint
CREATE INDEX "person_pinyin_idx" ON "person" USING btree ("name_pinyin");--> statement-breakpoint
CREATE INDEX "person_birth_date_idx" ON "person" USING btree ("birth_date");--> statement-breakpoint
CREATE INDEX "person_county_idx" ON "person" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "register_event_id_idx" ON "register_event" USING btree ("id");--> statement-breakpoint
CREATE INDEX "register_event_persons_idx" ON "register_event" USING gin ("person_ids");--> statement-breakpoint
CREATE INDEX "register_event_households_idx" ON "register_event" USING gin ("household_ids");--> statement-breakpoint
CREATE FUNCTION register_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'register_event is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER register_event_no_change BEFORE UPDATE OR DELETE ON register_event FOR EACH ROW EXECUTE FUNCTION register_event_append_only();
--> statement-breakpoint
CREATE TRIGGER register_event_no_truncate BEFORE TRUNCATE ON register_event FOR EACH STATEMENT EXECUTE FUNCTION register_event_append_only();
