/** Dates as the sidebar's people read and type them: in the browser's time zone and language. */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** The browser's IANA time zone (sent with a scheduled action, as Contentful's web app does). */
export const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A day as `YYYY-MM-DD` in local time, the value of an `<input type="date">`. */
export const dayInput = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
/** A time as `HH:MM` in local time, the value of an `<input type="time">`. */
export const timeInput = (date: Date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

/** A date-only value (kept as sent by the tasks API) is a local day; anything else is a point in time. */
function parse(value: string): Date {
  const day = DATE_ONLY.exec(value);
  return day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
}

export function formatDay(value: string): string {
  const date = parse(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function formatDateTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A due date before today. */
export function isPastDay(value: string): boolean {
  const date = parse(value);
  return dayInput(date) < dayInput(new Date());
}

/** The day of a task's due date for a date input (the date part of a date and time). */
export function dueDateInput(value: string | undefined): string {
  if (!value) return '';
  if (DATE_ONLY.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : dayInput(date);
}

/** The local date and time two inputs name, or undefined while one is incomplete. */
export function localDateTime(day: string, time: string): Date | undefined {
  const date = new Date(`${day}T${time}`);
  return day && time && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** The next full hour from now: the time a new schedule starts from. */
export function nextFullHour(): Date {
  const date = new Date();
  date.setHours(date.getHours() + 1, 0, 0, 0);
  return date;
}
