-- CreateTable
CREATE TABLE "ChannelMemory" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" JSONB NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SmsSuppression" (
    "phoneHash" TEXT NOT NULL PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "keyword" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SmsDeliveryReceipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "provider" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "phoneMasked" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "reportedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "ChannelMemory_expiresAt_idx" ON "ChannelMemory"("expiresAt");

-- CreateIndex
CREATE INDEX "SmsDeliveryReceipt_messageId_idx" ON "SmsDeliveryReceipt"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "SmsDeliveryReceipt_provider_messageId_status_key" ON "SmsDeliveryReceipt"("provider", "messageId", "status");
