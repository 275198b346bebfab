/** Rows from which the CLI shows progress; small files finish before a bar would be read. */
export const progressThreshold = 1000;

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

/**
 * A one-line progress bar redrawn in place, at most every 100 ms. Only on a terminal: piped or
 * logged output stays free of carriage returns.
 */
export function progressBar(
  stream: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean },
  label: string,
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      const width = 30;
      const ratio = total ? Math.min(1, done / total) : 1;
      const filled = Math.round(width * ratio);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`,
      );
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
