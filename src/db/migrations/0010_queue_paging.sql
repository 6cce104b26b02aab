CREATE TABLE "notification_read" (
	"officer_id" text NOT NULL,
	"notification_id" uuid NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_read_officer_id_notification_id_pk" PRIMARY KEY("officer_id","notification_id")
);
--> statement-breakpoint
ALTER TABLE "application" ADD COLUMN "queue_due_on" date;--> statement-breakpoint
ALTER TABLE "application" ADD COLUMN "paused_on" date;--> statement-breakpoint
CREATE INDEX "application_queue_order_idx" ON "application" USING btree ("county_code","queue_due_on","submitted_at","id") WHERE state not in ('done', 'refused', 'not-accepted', 'withdrawn');--> statement-breakpoint
CREATE INDEX "application_queue_type_idx" ON "application" USING btree ("county_code","type_id","policy_ref" DESC NULLS LAST) WHERE state not in ('done', 'refused', 'not-accepted', 'withdrawn');--> statement-breakpoint
CREATE INDEX "application_queue_state_order_idx" ON "application" USING btree ("county_code","state","queue_due_on","submitted_at","id") WHERE state not in ('done', 'refused', 'not-accepted', 'withdrawn');--> statement-breakpoint
-- A running clock's queue date is its deadline; a paused one's (returned for materials) is counted in
-- working days by the services at start-up (`fillQueueClocks`), which finds it null here.
UPDATE "application" SET "queue_due_on" = "deadline" WHERE "deadline" IS NOT NULL AND "state" NOT IN ('done', 'refused', 'not-accepted', 'withdrawn');--> statement-breakpoint
UPDATE "application" SET "paused_on" = ("clock"->'pauses'->-1->>'from')::date WHERE "state" = 'returned';
