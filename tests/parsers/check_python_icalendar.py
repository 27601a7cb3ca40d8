#!/usr/bin/python3
"""Reads the feed with Debian's python3-icalendar and compares it with what
feed_fixture --expect says a parser must find (DESIGN.md §5).

    /usr/bin/python3 check_python_icalendar.py FEED.ics|- EXPECTED.json [FEED.json]

Run it with /usr/bin/python3: a python3 earlier on PATH (pyenv, venv) may not
have python3-icalendar. Exits 1 listing every mismatch, 0 when all agree.

Besides the parsed values it checks the bytes themselves, which a lenient
parser would forgive: CRLF line ends, physical lines of at most 75 octets, each
valid UTF-8 on its own (no fold inside a sequence), no fold between a
backslash and the character it escapes, no control characters but TAB.
"""

import json
import sys
from datetime import timedelta

import icalendar

MAX_OCTETS = 75
EVENT_PROPERTIES = {"UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND",
                    "SUMMARY", "STATUS", "CATEGORIES", "URL", "DESCRIPTION"}  # + LOCATION when expected
ALARM_PROPERTIES = {"ACTION", "TRIGGER", "DESCRIPTION"}  # RFC 5545 §3.6.6: no SUMMARY in DISPLAY


class Report:
    def __init__(self):
        self.problems = []

    def expect(self, where, what, expected, actual):
        if expected != actual:
            self.problems.append(f"{where}: {what}: expected {expected!r}, got {actual!r}")

    def fail(self, where, message):
        self.problems.append(f"{where}: {message}")


def check_lines(raw, report):
    if not raw.endswith(b"\r\n"):
        report.fail("feed", "does not end with CRLF")
    logical = b""  # the content line being unfolded, to see where folds fall
    for number, line in enumerate(raw.split(b"\r\n")[:-1], start=1):
        where = f"line {number}"
        if len(line) > MAX_OCTETS:
            report.fail(where, f"{len(line)} octets (max {MAX_OCTETS}): {line!r}")
        if b"\r" in line or b"\n" in line:
            report.fail(where, f"bare CR or LF (lines must end with CRLF): {line!r}")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            report.fail(where, f"not valid UTF-8 on its own ({e}): {line!r}")
            text = line.decode("utf-8", "replace")
        controls = [c for c in text if (ord(c) < 0x20 and c != "\t") or 0x7F <= ord(c) <= 0x9F]
        if controls:
            report.fail(where, f"control characters {controls!r}")
        if line.startswith(b" "):
            # Naive unfolders split "\," or "\n" when a fold falls between them.
            trailing = len(logical) - len(logical.rstrip(b"\\"))
            if trailing % 2:
                report.fail(where, "folded between a backslash and the character it escapes")
            logical += line[1:]
        else:
            logical = line


def utc_iso(component, name):
    """DTSTART etc. as "2026-12-04T09:30:00Z"; a floating or non-UTC time is a mismatch."""
    if name not in component:
        return None
    dt = component.decoded(name)
    if getattr(dt, "tzinfo", None) is None or dt.utcoffset() != timedelta(0):
        return f"not a UTC date-time: {dt!r}"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def check_calendar(cal, expected, report):
    report.expect("VCALENDAR", "name", "VCALENDAR", cal.name)
    for name, value in expected.items():
        report.expect("VCALENDAR", name, value, text(cal, name))
    interval = cal.get("REFRESH-INTERVAL")
    if interval is not None:
        report.expect("VCALENDAR", "REFRESH-INTERVAL;VALUE", "DURATION", interval.params.get("VALUE"))
    if "X-WR-CALDESC" not in cal:
        report.fail("VCALENDAR", "no X-WR-CALDESC")
    report.expect("VCALENDAR", "parse errors", [], cal.errors)


def check_event(event, want, report):
    where = want["UID"]
    names = set(event.keys())
    required = EVENT_PROPERTIES | ({"LOCATION"} if want["LOCATION"] is not None else set())
    report.expect(where, "property names", sorted(required), sorted(names))
    for name in names:
        if isinstance(event[name], list):
            report.fail(where, f"{name} appears more than once")
    report.expect(where, "parse errors", [], event.errors)
    for name in ("UID", "SUMMARY", "STATUS", "URL", "LOCATION", "DESCRIPTION"):
        report.expect(where, name, want[name], text(event, name))
    for name in ("DTSTART", "DTEND", "CREATED", "LAST-MODIFIED", "DTSTAMP"):
        report.expect(where, name, want[name], utc_iso(event, name))
    report.expect(where, "SEQUENCE", want["SEQUENCE"], event.decoded("SEQUENCE", None))
    categories = event.get("CATEGORIES")
    report.expect(where, "CATEGORIES", [want["CATEGORIES"]],
                  None if categories is None else [str(c) for c in categories.cats])

    alarms = [c for c in event.subcomponents if c.name == "VALARM"]
    others = [c.name for c in event.subcomponents if c.name != "VALARM"]
    if others:
        report.fail(where, f"unexpected subcomponents {others}")
    want_alarm = want["VALARM"]
    report.expect(where, "number of VALARMs", 1 if want_alarm else 0, len(alarms))
    if want_alarm and alarms:
        alarm = alarms[0]
        report.expect(where, "VALARM property names", sorted(ALARM_PROPERTIES), sorted(alarm.keys()))
        report.expect(where, "VALARM parse errors", [], alarm.errors)
        report.expect(where, "VALARM ACTION", want_alarm["ACTION"], text(alarm, "ACTION"))
        trigger = alarm.decoded("TRIGGER", None)
        report.expect(where, "VALARM TRIGGER (seconds)", -60 * want_alarm["TRIGGER_MINUTES"],
                      trigger.total_seconds() if isinstance(trigger, timedelta) else trigger)
        report.expect(where, "VALARM DESCRIPTION", want_alarm["DESCRIPTION"], text(alarm, "DESCRIPTION"))


def check_json_rendering(document, expected, report):
    envelope = expected["json_envelope"]
    for key, value in envelope.items():
        report.expect("json", key, value, document.get(key))
    results = document.get("results", [])
    report.expect("json", "number of results", len(expected["bookings"]), len(results))
    for want, got in zip(expected["bookings"], results):
        where = f"json {want['UID']}"
        want = want["json"]
        report.expect(where, "keys", sorted(want), sorted(got))
        for key, value in want.items():
            report.expect(where, key, value, got.get(key))


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    raw = sys.stdin.buffer.read() if argv[1] == "-" else open(argv[1], "rb").read()
    with open(argv[2], encoding="utf-8") as f:
        expected = json.load(f)

    report = Report()
    check_lines(raw, report)
    cal = icalendar.Calendar.from_ical(raw)
    check_calendar(cal, expected["calendar"], report)
    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    report.expect("VCALENDAR", "subcomponents", ["VEVENT"] * len(expected["bookings"]),
                  [c.name for c in cal.subcomponents])
    report.expect("VCALENDAR", "UIDs in order", [b["UID"] for b in expected["bookings"]],
                  [text(e, "UID") for e in events])
    by_uid = {text(e, "UID"): e for e in events}
    for want in expected["bookings"]:
        if want["UID"] in by_uid:
            check_event(by_uid[want["UID"]], want, report)
    if len(argv) == 4:
        with open(argv[3], encoding="utf-8") as f:
            check_json_rendering(json.load(f), expected, report)

    if report.problems:
        print(f"python-icalendar {icalendar.__version__}: {len(report.problems)} mismatch(es):")
        for p in report.problems:
            print("  " + p)
        return 1
    print(f"python-icalendar {icalendar.__version__}: {len(events)} events, calendar properties, "
          f"line format and JSON rendering all match")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
