-- AlterTable
ALTER TABLE "ConsoleSession" ADD COLUMN     "tokenDigest" TEXT NOT NULL DEFAULT '';
