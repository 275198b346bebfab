-- CreateTable
CREATE TABLE "ChannelMemory" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelMemory_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SmsSuppression" (
    "phoneHash" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "keyword" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsSuppression_pkey" PRIMARY KEY ("phoneHash")
);

-- CreateTable
CREATE TABLE "SmsDeliveryReceipt" (
    "id" SERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "phoneMasked" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "reportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsDeliveryReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelMemory_expiresAt_idx" ON "ChannelMemory"("expiresAt");

-- CreateIndex
CREATE INDEX "SmsDeliveryReceipt_messageId_idx" ON "SmsDeliveryReceipt"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "SmsDeliveryReceipt_provider_messageId_status_key" ON "SmsDeliveryReceipt"("provider", "messageId", "status");
