/**
 * One Intl.DateTimeFormat per time zone for a given locale and options, built on first use:
 * building one costs far more than formatting with it (issue 13: it was most of a booking's
 * Note text). An invalid zone throws before anything is kept (the event schema validates zones
 * this way), so the cache holds at most the IANA set.
 */
export function formatsPerZone(
  locale: string,
  options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>,
): (timeZone: string) => Intl.DateTimeFormat {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let format = formats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      formats.set(timeZone, format);
    }
    return format;
  };
}

/**
 * The wall-clock fields of an instant in a zone (year … second, 24-hour) and its UTC offset as
 * `GMT±hh:mm`, for formatToParts: what Zoho's datetimes and the analyser's dates are built from.
 */
export const wallClockIn = formatsPerZone('en-US', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});
