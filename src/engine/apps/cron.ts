/** A parsed five-field cron schedule (minute hour day-of-month month day-of-week), as Argo CD reads it. */
export type CronSchedule = {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** A `*` (or `?`) day field: then day-of-month and day-of-week must both match, else either. */
  daysStar: boolean;
  weekdaysStar: boolean;
};

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(
  field: string,
  what: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    if (i >= 0) return i + nameBase;
    if (!/^\d+$/.test(s)) throw new Error(`${what}: "${s}" is not a number`);
    return Number(s);
  };
  let star = false;
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`${what}: bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`${what}: "${part}" is out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

/** Parses `m h dom mon dow`; throws one line on a bad expression. */
export function parseCron(expr: string): CronSchedule {
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5)
    throw new Error(`schedule "${expr}" must have 5 fields (minute hour day month weekday)`);
  const dow = parseField(f[4]!, 'weekday', 0, 7, dayNames);
  // 7 is Sunday too.
  if (dow.set.delete(7)) dow.set.add(0);
  const dom = parseField(f[2]!, 'day of month', 1, 31);
  return {
    minutes: parseField(f[0]!, 'minute', 0, 59).set,
    hours: parseField(f[1]!, 'hour', 0, 23).set,
    days: dom.set,
    months: parseField(f[3]!, 'month', 1, 12, monthNames, 1).set,
    weekdays: dow.set,
    daysStar: dom.star,
    weekdaysStar: dow.star,
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.days.has(d.getUTCDate());
  const dow = s.weekdays.has(d.getUTCDay());
  return s.daysStar || s.weekdaysStar ? dom && dow : dom || dow;
}

const minute = 60_000;
const day = 24 * 60 * minute;

/**
 * The first time strictly after `after` (ms since epoch, read as UTC wall-clock) at which the
 * schedule fires, or undefined when none within five years.
 */
export function nextFire(s: CronSchedule, after: number): number | undefined {
  let t = Math.floor(after / minute) * minute + minute;
  const limit = after + 5 * 366 * day;
  while (t < limit) {
    const d = new Date(t);
    if (!s.months.has(d.getUTCMonth() + 1) || !dayMatches(s, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!s.minutes.has(d.getUTCMinutes())) {
      t += minute;
      continue;
    }
    return t;
  }
  return undefined;
}
