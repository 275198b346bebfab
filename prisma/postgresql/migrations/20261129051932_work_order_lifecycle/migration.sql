-- AlterTable
ALTER TABLE "WorkOrder" ADD COLUMN     "assistingDepartments" JSONB,
ADD COLUMN     "categoryCode" TEXT,
ADD COLUMN     "completeDueAt" TIMESTAMP(3),
ADD COLUMN     "departmentKey" TEXT,
ADD COLUMN     "dispatchRuleId" TEXT,
ADD COLUMN     "duplicateOfId" TEXT,
ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "leadDepartment" TEXT,
ADD COLUMN     "longitude" DOUBLE PRECISION,
ADD COLUMN     "regionCode" TEXT,
ADD COLUMN     "reopenCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "respondDueAt" TIMESTAMP(3),
ADD COLUMN     "satisfaction" TEXT,
ADD COLUMN     "satisfactionComment" TEXT,
ADD COLUMN     "suggestedDepartments" JSONB,
ADD COLUMN     "urgency" TEXT NOT NULL DEFAULT 'normal',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WorkOrderEvent" ADD COLUMN     "action" TEXT NOT NULL DEFAULT 'transition',
ADD COLUMN     "actorRole" TEXT,
ADD COLUMN     "citizenVisible" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "departments" JSONB;

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "deliveredVia" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_workOrderId_idx" ON "OutboxMessage"("workOrderId");

-- CreateIndex
CREATE INDEX "WorkOrder_leadDepartment_idx" ON "WorkOrder"("leadDepartment");

-- CreateIndex
CREATE INDEX "WorkOrder_duplicateOfId_idx" ON "WorkOrder"("duplicateOfId");

-- CreateIndex
CREATE INDEX "WorkOrder_categoryCode_district_status_idx" ON "WorkOrder"("categoryCode", "district", "status");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;
