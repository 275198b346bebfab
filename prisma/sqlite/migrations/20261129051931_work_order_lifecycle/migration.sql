-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workOrderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "deliveredVia" TEXT,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboxMessage_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WorkOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "appealType" TEXT NOT NULL,
    "category" TEXT,
    "categoryCode" TEXT,
    "description" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "place" TEXT,
    "district" TEXT,
    "regionCode" TEXT,
    "latitude" REAL,
    "longitude" REAL,
    "contactPhone" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ownerSessionId" TEXT NOT NULL,
    "ownerUserId" TEXT,
    "urgency" TEXT NOT NULL DEFAULT 'normal',
    "status" TEXT NOT NULL,
    "leadDepartment" TEXT,
    "assistingDepartments" JSONB,
    "departmentKey" TEXT,
    "suggestedDepartments" JSONB,
    "dispatchRuleId" TEXT,
    "respondDueAt" DATETIME,
    "completeDueAt" DATETIME,
    "satisfaction" TEXT,
    "satisfactionComment" TEXT,
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    "duplicateOfId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_WorkOrder" ("appealType", "category", "channel", "code", "contactPhone", "createdAt", "description", "district", "id", "idempotencyKey", "ownerSessionId", "ownerUserId", "place", "status", "summary", "updatedAt") SELECT "appealType", "category", "channel", "code", "contactPhone", "createdAt", "description", "district", "id", "idempotencyKey", "ownerSessionId", "ownerUserId", "place", "status", "summary", "updatedAt" FROM "WorkOrder";
DROP TABLE "WorkOrder";
ALTER TABLE "new_WorkOrder" RENAME TO "WorkOrder";
CREATE UNIQUE INDEX "WorkOrder_code_key" ON "WorkOrder"("code");
CREATE UNIQUE INDEX "WorkOrder_idempotencyKey_key" ON "WorkOrder"("idempotencyKey");
CREATE INDEX "WorkOrder_ownerSessionId_idx" ON "WorkOrder"("ownerSessionId");
CREATE INDEX "WorkOrder_status_idx" ON "WorkOrder"("status");
CREATE INDEX "WorkOrder_leadDepartment_idx" ON "WorkOrder"("leadDepartment");
CREATE INDEX "WorkOrder_duplicateOfId_idx" ON "WorkOrder"("duplicateOfId");
CREATE INDEX "WorkOrder_categoryCode_district_status_idx" ON "WorkOrder"("categoryCode", "district", "status");
CREATE TABLE "new_WorkOrderEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workOrderId" TEXT NOT NULL,
    "action" TEXT NOT NULL DEFAULT 'transition',
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT,
    "note" TEXT,
    "departments" JSONB,
    "citizenVisible" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WorkOrderEvent_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WorkOrderEvent" ("actor", "createdAt", "fromStatus", "id", "note", "toStatus", "workOrderId") SELECT "actor", "createdAt", "fromStatus", "id", "note", "toStatus", "workOrderId" FROM "WorkOrderEvent";
DROP TABLE "WorkOrderEvent";
ALTER TABLE "new_WorkOrderEvent" RENAME TO "WorkOrderEvent";
CREATE INDEX "WorkOrderEvent_workOrderId_createdAt_idx" ON "WorkOrderEvent"("workOrderId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_workOrderId_idx" ON "OutboxMessage"("workOrderId");
