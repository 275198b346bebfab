/** Calendar day in the hotline's time zone as yyyymmdd, the date part of a ticket number. */
export function ticketDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
  return parts.replaceAll('-', '');
}

/** Readable, unique, date-based ticket number, e.g. LJ20261129000123. */
export function formatTicketCode(prefix: string, day: string, sequence: number): string {
  return `${prefix}${day}${String(sequence).padStart(6, '0')}`;
}

export const ticketCodePattern = /(?<![A-Za-z])[A-Za-z]{1,4}\d{14}(?!\d)/;

/** Letters and a run of digits that is not 14 long: a ticket number mistyped (LJ2026113000001). */
export const mistypedTicketCodePattern = /(?<![A-Za-z])[A-Za-z]{1,4}\d{8,20}(?!\d)/;
