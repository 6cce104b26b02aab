CREATE TABLE "officer_account" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"county_code" char(6) NOT NULL,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"password_hash" text NOT NULL,
	"password_history" text[] DEFAULT '{}'::text[] NOT NULL,
	"password_changed_at" timestamp with time zone NOT NULL,
	"must_change_password" boolean DEFAULT true NOT NULL,
	"totp_secret" text NOT NULL,
	"totp_last_step" bigint,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"failure_window_start" timestamp with time zone,
	"failures_in_window" integer DEFAULT 0 NOT NULL,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "officer_account_username_lower" CHECK ("officer_account"."username" = lower("officer_account"."username")),
	CONSTRAINT "officer_account_roles_known" CHECK ("officer_account"."roles" <@ array['window-clerk','reviewer','approver','registrar','department-user','reform-office','system-admin','security-admin','audit-admin']::text[]),
	CONSTRAINT "officer_account_one_admin_duty" CHECK ((('system-admin' = any("officer_account"."roles"))::int + ('security-admin' = any("officer_account"."roles"))::int + ('audit-admin' = any("officer_account"."roles"))::int) <= 1)
);
--> statement-breakpoint
CREATE TABLE "officer_session" (
	"token_hash" char(64) PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"absolute_expires_at" timestamp with time zone NOT NULL,
	"idle_timeout_seconds" integer NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"source_address" text
);
--> statement-breakpoint
CREATE TABLE "sign_in_challenge" (
	"token_hash" char(64) PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "officer_account_username_idx" ON "officer_account" USING btree ("username");--> statement-breakpoint
CREATE INDEX "officer_session_account_idx" ON "officer_session" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "sign_in_challenge_account_idx" ON "sign_in_challenge" USING btree ("account_id");