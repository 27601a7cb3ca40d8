// Reads the feed with npm's ical.js (the parser of Thunderbird and many web
// calendars) and compares it with what feed_fixture --expect says a parser
// must find (DESIGN.md §5).
//
//   node check_icaljs.mjs FEED.ics|- EXPECTED.json
//
// ical.js comes from tests/parsers/node_modules, which
// `npm ci --prefix tests/parsers` installs (deploy/install-deps.sh does).
// Exits 1 listing every mismatch, 0 when all agree.

import fs from 'node:fs';

let ICAL;
try {
  ({ default: ICAL } = await import('ical.js'));
} catch (e) {
  console.error(`cannot load ical.js (${e.message}); install it with: npm ci --prefix tests/parsers`);
  process.exit(2);
}

const [icsPath, expectedPath] = process.argv.slice(2);
if (!icsPath || !expectedPath) {
  console.error('usage: node check_icaljs.mjs FEED.ics|- EXPECTED.json');
  process.exit(2);
}

// ical.js leaves properties it does not know as raw "unknown" values, still
// escaped. RFC 7986 NAME and the de facto X-WR-CALNAME are TEXT and Apple's
// X-PUBLISHED-TTL a DURATION: tell the parser, so it decodes them itself.
Object.assign(ICAL.design.icalendar.property, {
  'name': { defaultType: 'text' },
  'x-wr-calname': { defaultType: 'text' },
  'x-published-ttl': { defaultType: 'duration' },
});

const problems = [];
function expectEqual(where, what, expected, actual) {
  const e = JSON.stringify(expected);
  const a = JSON.stringify(actual);
  if (e !== a) problems.push(`${where}: ${what}: expected ${e}, got ${a}`);
}

// Invalid UTF-8 must never reach a client: decode strictly.
const bytes = fs.readFileSync(icsPath === '-' ? 0 : icsPath);
let text;
try {
  text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
} catch (e) {
  console.error(`feed is not valid UTF-8: ${e.message}`);
  process.exit(1);
}
const expected = JSON.parse(fs.readFileSync(expectedPath, 'utf8'));

const cal = new ICAL.Component(ICAL.parse(text));
expectEqual('calendar', 'component', 'vcalendar', cal.name);

// Each property once, by its lower-case name (ical.js's convention).
function names(component) {
  return component.getAllProperties().map((p) => p.name).sort();
}
function single(component, where, name) {
  const props = component.getAllProperties(name);
  if (props.length > 1) problems.push(`${where}: ${name} appears ${props.length} times`);
  return props[0] ?? null;
}
function textValue(component, where, name) {
  const prop = single(component, where, name);
  return prop === null ? null : prop.getFirstValue();
}
function utcTime(component, where, name) {
  const prop = single(component, where, name);
  if (prop === null) return null;
  const t = prop.getFirstValue();
  if (!(t instanceof ICAL.Time) || t.isDate || t.zone !== ICAL.Timezone.utcTimezone)
    return `not a UTC date-time: ${prop.toICALString()}`;
  return t.toString();  // "2026-12-04T09:30:00Z"
}

for (const [name, value] of Object.entries(expected.calendar)) {
  const prop = single(cal, 'calendar', name.toLowerCase());
  expectEqual('calendar', name, value, prop === null ? null : prop.getFirstValue().toString());
}
expectEqual('calendar', 'REFRESH-INTERVAL type', 'duration', single(cal, 'calendar', 'refresh-interval')?.type);

const bookings = expected.bookings;
expectEqual('calendar', 'subcomponents', bookings.map(() => 'vevent'),
            cal.getAllSubcomponents().map((c) => c.name));
const events = cal.getAllSubcomponents('vevent');
expectEqual('calendar', 'UIDs in order', bookings.map((b) => b.UID),
            events.map((e) => e.getFirstPropertyValue('uid')));

const eventProperties = ['uid', 'dtstamp', 'created', 'last-modified', 'sequence', 'dtstart', 'dtend',
                         'summary', 'status', 'categories', 'url', 'description'];
for (const want of bookings) {
  const where = want.UID;
  const event = events.find((e) => e.getFirstPropertyValue('uid') === want.UID);
  if (!event) continue;  // already reported by "UIDs in order"
  const required = want.LOCATION === null ? eventProperties : [...eventProperties, 'location'];
  expectEqual(where, 'property names', [...required].sort(), names(event));
  for (const name of ['UID', 'SUMMARY', 'STATUS', 'URL', 'LOCATION', 'DESCRIPTION'])
    expectEqual(where, name, want[name], textValue(event, where, name.toLowerCase()));
  for (const name of ['DTSTART', 'DTEND', 'CREATED', 'LAST-MODIFIED', 'DTSTAMP'])
    expectEqual(where, name, want[name], utcTime(event, where, name.toLowerCase()));
  expectEqual(where, 'SEQUENCE', want.SEQUENCE, textValue(event, where, 'sequence'));
  expectEqual(where, 'CATEGORIES', [want.CATEGORIES], single(event, where, 'categories')?.getValues());

  // RFC 5545 §3.6.6: a DISPLAY alarm has ACTION, TRIGGER, DESCRIPTION and no
  // SUMMARY; Thunderbird shows the DESCRIPTION.
  const alarms = event.getAllSubcomponents('valarm');
  expectEqual(where, 'subcomponents', alarms.map(() => 'valarm'), event.getAllSubcomponents().map((c) => c.name));
  expectEqual(where, 'number of VALARMs', want.VALARM ? 1 : 0, alarms.length);
  if (want.VALARM && alarms.length) {
    const alarm = alarms[0];
    expectEqual(where, 'VALARM property names', ['action', 'description', 'trigger'], names(alarm));
    expectEqual(where, 'VALARM has SUMMARY', false, alarm.hasProperty('summary'));
    expectEqual(where, 'VALARM ACTION', want.VALARM.ACTION, textValue(alarm, where, 'action'));
    const trigger = textValue(alarm, where, 'trigger');
    expectEqual(where, 'VALARM TRIGGER', `-PT${want.VALARM.TRIGGER_MINUTES}M`, trigger?.toString());
    expectEqual(where, 'VALARM TRIGGER seconds', -60 * want.VALARM.TRIGGER_MINUTES,
                trigger instanceof ICAL.Duration ? trigger.toSeconds() : null);
    expectEqual(where, 'VALARM DESCRIPTION', want.VALARM.DESCRIPTION, textValue(alarm, where, 'description'));
  }
}

if (problems.length) {
  console.log(`ical.js: ${problems.length} mismatch(es):`);
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
console.log(`ical.js: ${events.length} events and the calendar properties match`);
