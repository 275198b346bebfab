-- CreateTable
CREATE TABLE "KnowledgeOutcome" (
    "id" SERIAL NOT NULL,
    "outcome" TEXT NOT NULL,
    "entryId" TEXT,
    "channel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnowledgeOutcome_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnswerFeedback" (
    "id" SERIAL NOT NULL,
    "messageId" INTEGER NOT NULL,
    "sessionId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "question" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnswerFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxCluster" (
    "id" SERIAL NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "label" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "questionCount" INTEGER NOT NULL DEFAULT 0,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "resolution" TEXT,
    "entryId" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InboxCluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxQuestion" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "channel" TEXT,
    "sessionId" TEXT,
    "entryId" TEXT,
    "sourceKey" TEXT,
    "staffAnswer" TEXT,
    "clusterId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SynonymGroup" (
    "id" SERIAL NOT NULL,
    "canonical" TEXT NOT NULL,
    "variants" JSONB NOT NULL,
    "updatedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SynonymGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GlossaryTerm" (
    "id" SERIAL NOT NULL,
    "chinese" TEXT NOT NULL,
    "phrases" JSONB NOT NULL,
    "updatedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GlossaryTerm_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "InboxQuestion" ADD CONSTRAINT "InboxQuestion_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "InboxCluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
