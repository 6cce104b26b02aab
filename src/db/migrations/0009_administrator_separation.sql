CREATE TABLE "officer_device" (
	"token_hash" char(64) PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "officer_account" ADD COLUMN "mobile" text;--> statement-breakpoint
ALTER TABLE "resident_sign_in_challenge" ADD COLUMN "source_address" text;--> statement-breakpoint
CREATE INDEX "officer_device_account_idx" ON "officer_device" USING btree ("account_id","last_used_at");--> statement-breakpoint
CREATE INDEX "resident_sign_in_challenge_source_idx" ON "resident_sign_in_challenge" USING btree ("source_address","created_at");--> statement-breakpoint
-- An administrator duty stands alone (ADR 0017): business roles held beside one are taken away.
UPDATE "officer_account" SET "roles" = array(select r from unnest("roles") as r where r in ('system-admin','security-admin','audit-admin')) WHERE "roles" && array['system-admin','security-admin','audit-admin']::text[] AND cardinality("roles") > 1;--> statement-breakpoint
ALTER TABLE "officer_account" ADD CONSTRAINT "officer_account_admin_alone" CHECK (not ("officer_account"."roles" && array['system-admin','security-admin','audit-admin']::text[]) or cardinality("officer_account"."roles") = 1);