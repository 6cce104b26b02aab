ALTER TABLE "person" ALTER COLUMN "ethnicity" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "person" ALTER COLUMN "birthplace" DROP NOT NULL;