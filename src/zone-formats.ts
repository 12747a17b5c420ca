/**
 * One Intl.DateTimeFormat per time zone for a given locale and options, built on first use:
 * building one costs far more than formatting with it (issue 13: it was most of a booking's
 * Note text). Zones come validated from the event schema, so the cache holds at most the IANA set.
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
