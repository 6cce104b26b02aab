CREATE TABLE "issued_document" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"person_id" uuid,
	"household_id" uuid,
	"input" jsonb NOT NULL,
	"content_hash" char(64) NOT NULL,
	"token" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issuer_code" text NOT NULL,
	"officer_id" text NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "issued_document_person_idx" ON "issued_document" USING btree ("person_id");