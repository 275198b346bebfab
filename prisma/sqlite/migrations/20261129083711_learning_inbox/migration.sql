-- CreateTable
CREATE TABLE "KnowledgeOutcome" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "outcome" TEXT NOT NULL,
    "entryId" TEXT,
    "channel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AnswerFeedback" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" INTEGER NOT NULL,
    "sessionId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "question" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InboxCluster" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "label" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "questionCount" INTEGER NOT NULL DEFAULT 0,
    "lastSeenAt" DATETIME NOT NULL,
    "resolution" TEXT,
    "entryId" TEXT,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InboxQuestion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "channel" TEXT,
    "sessionId" TEXT,
    "entryId" TEXT,
    "sourceKey" TEXT,
    "staffAnswer" TEXT,
    "clusterId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InboxQuestion_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "InboxCluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SynonymGroup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "canonical" TEXT NOT NULL,
    "variants" JSONB NOT NULL,
    "updatedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GlossaryTerm" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chinese" TEXT NOT NULL,
    "phrases" JSONB NOT NULL,
    "updatedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "KnowledgeOutcome_createdAt_idx" ON "KnowledgeOutcome"("createdAt");

-- CreateIndex
CREATE INDEX "KnowledgeOutcome_entryId_createdAt_idx" ON "KnowledgeOutcome"("entryId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AnswerFeedback_messageId_key" ON "AnswerFeedback"("messageId");

-- CreateIndex
CREATE INDEX "AnswerFeedback_entryId_idx" ON "AnswerFeedback"("entryId");

-- CreateIndex
CREATE INDEX "InboxCluster_status_lastSeenAt_idx" ON "InboxCluster"("status", "lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxQuestion_sourceKey_key" ON "InboxQuestion"("sourceKey");

-- CreateIndex
CREATE INDEX "InboxQuestion_clusterId_createdAt_idx" ON "InboxQuestion"("clusterId", "createdAt");

-- CreateIndex
CREATE INDEX "InboxQuestion_createdAt_idx" ON "InboxQuestion"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SynonymGroup_canonical_key" ON "SynonymGroup"("canonical");

-- CreateIndex
CREATE UNIQUE INDEX "GlossaryTerm_chinese_key" ON "GlossaryTerm"("chinese");
