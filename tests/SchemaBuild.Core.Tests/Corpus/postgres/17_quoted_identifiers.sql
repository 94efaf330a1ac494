CREATE TABLE "Mixed Case Table" (
    "Id" integer PRIMARY KEY,
    "select" text,
    "user" text NOT NULL,
    "with""quote" text,
    plain_col integer,
    "order" integer DEFAULT 1
);
CREATE INDEX "Idx On Mixed" ON "Mixed Case Table" ("user", "order");
