-- CreateTable
CREATE TABLE "KnowledgeEntryVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "basedOn" INTEGER,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "submittedBy" TEXT,
    "submittedAt" DATETIME,
    "reviewedBy" TEXT,
    "reviewedAt" DATETIME,
    "reviewNote" TEXT,
    CONSTRAINT "KnowledgeEntryVersion_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "KnowledgeEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KnowledgeEntryEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entryId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "version" INTEGER,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ConsoleSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_KnowledgeEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "question" TEXT NOT NULL,
    "similar" JSONB NOT NULL,
    "answer" TEXT NOT NULL,
    "category" TEXT,
    "department" TEXT,
    "region" TEXT,
    "tags" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'published',
    "sourceTitle" TEXT,
    "sourceNumber" TEXT,
    "sourceUrl" TEXT,
    "validFrom" DATETIME,
    "validTo" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT,
    "updatedBy" TEXT,
    "publishedBy" TEXT,
    "publishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_KnowledgeEntry" ("answer", "category", "createdAt", "department", "id", "question", "region", "similar", "sourceTitle", "sourceUrl", "status", "tags", "updatedAt", "validFrom", "validTo") SELECT "answer", "category", "createdAt", "department", "id", "question", "region", "similar", "sourceTitle", "sourceUrl", "status", "tags", "updatedAt", "validFrom", "validTo" FROM "KnowledgeEntry";
DROP TABLE "KnowledgeEntry";
ALTER TABLE "new_KnowledgeEntry" RENAME TO "KnowledgeEntry";
CREATE INDEX "KnowledgeEntry_status_idx" ON "KnowledgeEntry"("status");
CREATE INDEX "KnowledgeEntry_validTo_idx" ON "KnowledgeEntry"("validTo");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "KnowledgeEntryVersion_state_idx" ON "KnowledgeEntryVersion"("state");

-- CreateIndex
CREATE UNIQUE INDEX "KnowledgeEntryVersion_entryId_number_key" ON "KnowledgeEntryVersion"("entryId", "number");

-- CreateIndex
CREATE INDEX "KnowledgeEntryEvent_entryId_createdAt_idx" ON "KnowledgeEntryEvent"("entryId", "createdAt");

-- CreateIndex
CREATE INDEX "ConsoleSession_expiresAt_idx" ON "ConsoleSession"("expiresAt");
