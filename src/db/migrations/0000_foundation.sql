CREATE TABLE "citizen_id_registry" (
	"citizen_id" char(18) PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sequence" integer
);
--> statement-breakpoint
CREATE TABLE "citizen_id_sequence" (
	"address_code" char(6) NOT NULL,
	"birth_date" date NOT NULL,
	"sex" text NOT NULL,
	"last_sequence" smallint NOT NULL,
	CONSTRAINT "citizen_id_sequence_address_code_birth_date_sex_pk" PRIMARY KEY("address_code","birth_date","sex"),
	CONSTRAINT "citizen_id_sequence_range" CHECK ("citizen_id_sequence"."last_sequence" between 1 and 999)
);
--> statement-breakpoint
CREATE TABLE "division" (
	"code" varchar(12) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" varchar(12),
	"county_kind" text,
	"town_kind" text,
	"village_kind" text,
	"is_statistical_unit" boolean DEFAULT false NOT NULL,
	"is_current" boolean NOT NULL,
	"vintage" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "division_urban_rural" (
	"code" varchar(12) NOT NULL,
	"year" smallint NOT NULL,
	"class_code" char(3) NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "division_urban_rural_code_year_pk" PRIMARY KEY("code","year"),
	CONSTRAINT "division_urban_rural_class_check" CHECK ("division_urban_rural"."class_code" in ('111','112','121','122','123','210','220'))
);
--> statement-breakpoint
CREATE TABLE "system_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "division_parent_idx" ON "division" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "division_name_idx" ON "division" USING btree ("name");