// Reads an iCalendar feed with npm's ical.js (Thunderbird's parser) and prints
// what it understood as JSON, in the shape feedcheck.py compares with the
// database:
//   {"calendar": {"NAME": ..., "X-WR-CALNAME": ..., ...},
//    "events": [{"UID": ..., "SUMMARY": ..., "DTSTART": "20260610T090000Z", ...,
//                "VALARM": null | {"ACTION", "TRIGGER", "DESCRIPTION"}}]}
//
//   node parse_icaljs.mjs FEED.ics
//
// ical.js comes from tests/parsers/node_modules (npm ci --prefix tests/parsers).
import fs from 'node:fs';

let ICAL;
try {
  // The package's "import" entry ("exports" hides package.json from resolve).
  ({ default: ICAL } = await import(new URL('../parsers/node_modules/ical.js/dist/ical.js', import.meta.url)));
} catch (e) {
  console.error(`cannot load ical.js (${e.message}); install it with: npm ci --prefix tests/parsers`);
  process.exit(2);
}

// RFC 7986 NAME, X-WR-CALNAME/CALDESC are TEXT and X-PUBLISHED-TTL a DURATION:
// tell the parser so it decodes them instead of keeping raw escaped text.
Object.assign(ICAL.design.icalendar.property, {
  'name': { defaultType: 'text' },
  'x-wr-calname': { defaultType: 'text' },
  'x-wr-caldesc': { defaultType: 'text' },
  'x-published-ttl': { defaultType: 'duration' },
});

const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(process.argv[2]));
const cal = new ICAL.Component(ICAL.parse(text));

function utc(component, name) {
  const p = component.getFirstProperty(name);
  if (!p) return null;
  const t = p.getFirstValue();
  if (!(t instanceof ICAL.Time) || t.isDate || t.zone !== ICAL.Timezone.utcTimezone) return `not UTC: ${p.toICALString()}`;
  return t.toICALString();
}
function str(component, name) {
  const props = component.getAllProperties(name);
  if (props.length === 0) return null;
  if (props.length > 1) return `${name} appears ${props.length} times`;
  const v = props[0].getFirstValue();
  return v === null ? null : v.toString();
}

const calendar = {};
for (const name of ['version', 'prodid', 'calscale', 'method', 'name', 'x-wr-calname', 'x-wr-caldesc',
                    'refresh-interval', 'x-published-ttl'])
  calendar[name.toUpperCase()] = str(cal, name);

const events = cal.getAllSubcomponents('vevent').map((e) => {
  const alarms = e.getAllSubcomponents('valarm');
  const known = new Set(['uid', 'summary', 'status', 'dtstart', 'dtend', 'dtstamp', 'last-modified', 'created',
                         'sequence', 'categories', 'url', 'location', 'description']);
  const seq = e.getFirstPropertyValue('sequence');
  return {
    UID: str(e, 'uid'),
    SUMMARY: str(e, 'summary'),
    STATUS: str(e, 'status'),
    DTSTART: utc(e, 'dtstart'),
    DTEND: utc(e, 'dtend'),
    DTSTAMP: utc(e, 'dtstamp'),
    'LAST-MODIFIED': utc(e, 'last-modified'),
    CREATED: utc(e, 'created'),
    SEQUENCE: seq === null ? null : Number(seq),
    CATEGORIES: e.getFirstProperty('categories')?.getValues() ?? null,
    URL: str(e, 'url'),
    LOCATION: str(e, 'location'),
    DESCRIPTION: str(e, 'description'),
    VALARM: alarms.length === 0 ? null : alarms.length > 1 ? `${alarms.length} VALARMs` : {
      ACTION: str(alarms[0], 'action'),
      TRIGGER: str(alarms[0], 'trigger'),
      DESCRIPTION: str(alarms[0], 'description'),
      ...(alarms[0].hasProperty('summary') ? { SUMMARY: str(alarms[0], 'summary') } : {}),
    },
    // Anything else is reported so a stray property fails the comparison.
    ...Object.fromEntries(e.getAllProperties().filter((p) => !known.has(p.name))
      .map((p) => [`unexpected ${p.name}`, p.toICALString()])),
  };
});

process.stdout.write(JSON.stringify({ calendar, events }));
