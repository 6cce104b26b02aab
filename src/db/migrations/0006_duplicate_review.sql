CREATE TABLE "duplicate_review" (
	"person_a" uuid NOT NULL,
	"person_b" uuid NOT NULL,
	"county_code" char(6) NOT NULL,
	"verdict" text NOT NULL,
	"officer_id" text NOT NULL,
	"reviewed_at" timestamp with time zone NOT NULL,
	"note" text,
	"kind" text,
	"score" double precision,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resolved_event_id" uuid,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "duplicate_review_person_a_person_b_pk" PRIMARY KEY("person_a","person_b"),
	CONSTRAINT "duplicate_review_pair_order" CHECK ("duplicate_review"."person_a" < "duplicate_review"."person_b"),
	CONSTRAINT "duplicate_review_resolved" CHECK ("duplicate_review"."resolved_event_id" is null or "duplicate_review"."verdict" = 'duplicate')
);
--> statement-breakpoint
CREATE INDEX "duplicate_review_county_idx" ON "duplicate_review" USING btree ("county_code","verdict");--> statement-breakpoint
CREATE INDEX "duplicate_review_person_b_idx" ON "duplicate_review" USING btree ("person_b");