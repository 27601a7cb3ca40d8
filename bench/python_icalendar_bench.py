#!/usr/bin/python3
"""python3-icalendar building the calendar that writer_bench.cpp times.

Run with Debian's /usr/bin/python3, which has python3-icalendar 4.0.3 (the
pyenv python3 on PATH has no icalendar). It reads the records written by
`writer_bench --dump-records N RECORDS.json`, so both sides render identical
data, applies the rules of DESIGN.md §5 itself (as a Python service would)
and times building the Calendar plus to_ical(), the work IcsWriter does.

    /usr/bin/python3 bench/python_icalendar_bench.py RECORDS.json \
        [--check CALENDAR.ics] [--json RESULTS.json]
"""
import argparse
import gc
import json
import statistics
import sys
import time
from datetime import datetime, timedelta

import icalendar
import pytz

EPOCH = datetime(1970, 1, 1, tzinfo=pytz.utc)
TIME_FIELDS = ("start", "end", "event_start", "event_end", "created", "modified")


def load(path):
    """The dump, with times as aware datetimes: that conversion is the
    database driver's job, so it stays out of the timing (the C++ side gets
    ready-made rows too)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for r in data["records"]:
        for field in TIME_FIELDS:
            if r[field] is not None:
                r[field] = EPOCH + timedelta(microseconds=r[field])
    return data


def build_calendar(data, records):
    settings, services = data["settings"], data["services"]
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", settings["prodid"])
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = settings["calendar_title"]
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    cal.add("x-wr-caldesc", title)
    cal.add("refresh-interval", settings["refresh_interval"], parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", settings["refresh_interval"])

    trigger = timedelta(minutes=-settings["alarm_minutes"])
    uid_domain, url_template = settings["uid_domain"], settings["event_url_template"]
    for r in records:
        service = services[r["service"]]
        ev = icalendar.Event()
        ev.add("uid", f"indico-collaboration-a{r['event_id']}csbook{r['id']}@{uid_domain}")
        ev.add("dtstamp", r["modified"])
        ev.add("created", r["created"])
        ev.add("last-modified", r["modified"])
        ev.add("sequence", r["sequence"])
        # The booking's own times when it has both, else the event's; an end
        # before the start is moved to the start.
        if r["start"] is not None and r["end"] is not None:
            start, end = r["start"], r["end"]
        else:
            start, end = r["event_start"], r["event_end"]
        ev.add("dtstart", start)
        ev.add("dtend", max(start, end))

        pending = service["accept_reject"] and r["status"] != "accepted"
        flag = ("-P" if pending else "-A") if service["accept_reject"] else ""
        title = r["title"] or r["event_title"] or "No title defined."  # '' counts as missing
        summary = f"{service['prefix']}{flag}: {title}"
        ev.add("summary", summary)
        ev.add("status", "TENTATIVE" if pending else "CONFIRMED")
        # A list: icalendar 4.0.3 would split a plain str into one category per character.
        ev.add("categories", ["VideoService - " + service["type"]])
        url = url_template.replace("{event_id}", str(r["event_id"]))
        ev.add("url", url)
        location = ": ".join(v for v in (r["location"], r["room"]) if v)
        if location:
            ev.add("location", location)
        audience = "" if r["audience"] is None else f"Audience: {r['audience'] or 'No restriction'}\n"
        ev.add("description", f"{audience}Event URL: {url}")

        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", trigger)
        alarm.add("description", summary)
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal


def components(ics):
    """(name, sorted [(property, escaped value)]) per component, inner ones
    first: unfolded, parameters dropped (icalendar adds ";VALUE=DATE-TIME")
    and properties sorted (icalendar's to_ical() reorders them). Folding may
    differ; escaping must not."""
    out, stack = [], []
    for line in ics.replace(b"\r\n ", b"").decode().split("\r\n"):
        if not line:
            continue
        name_params, value = line.split(":", 1)
        name = name_params.split(";", 1)[0]
        if name == "BEGIN":
            stack.append([])
        elif name == "END":
            out.append((value, sorted(stack.pop())))
        else:
            stack[-1].append((name, value))
    return out


def check(data, calendar_path):
    """Does writer_bench's calendar carry the values icalendar writes for the
    same records? (Compared as text: icalendar's own parser unescapes twice
    and turns a doubled backslash into a single one.)"""
    with open(calendar_path, "rb") as f:
        theirs = components(f.read())
    n = sum(1 for name, _ in theirs if name == "VEVENT")
    ours = components(build_calendar(data, data["records"][:n]).to_ical())
    if theirs == ours:
        print(f"check: writer_bench's calendar of {n} records has the values python3-icalendar writes")
        return True
    bad = next(i for i, (a, b) in enumerate(zip(theirs + [None], ours + [None])) if a != b)
    print(f"check FAILED at component {bad}:\nwriter_bench:      {theirs[bad:bad + 1]}\n"
          f"python3-icalendar: {ours[bad:bad + 1]}", file=sys.stderr)
    return False


def measure(data, records, min_runs, min_seconds):
    """Median over repeated runs, in CPU time (process_time) as Google
    Benchmark reports, so other jobs on the machine distort it less."""
    cpu, wall = [], []
    while len(cpu) < min_runs or sum(cpu) < min_seconds:
        gc.collect()  # start every run from a tidy heap; collections during the run count
        c0, w0 = time.process_time(), time.perf_counter()
        size = len(build_calendar(data, records).to_ical())
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    n = len(records)
    return {
        "records": n,
        "runs": len(cpu),
        "records_per_s": n / statistics.median(cpu),
        "records_per_s_wall": n / statistics.median(wall),
        "bytes_per_record": size / n,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("records")
    p.add_argument("--check", metavar="CALENDAR.ics", help="compare with writer_bench's calendar first")
    p.add_argument("--json", metavar="FILE", help="write the figures there too")
    p.add_argument("--small-seconds", type=float, default=3.0, help="repeat the 300 case for at least this long")
    p.add_argument("--big-runs", type=int, default=3, help="runs of the whole-file case")
    args = p.parse_args()

    data = load(args.records)
    if args.check and not check(data, args.check):
        return 1
    results = {
        "icalendar": icalendar.__version__,
        "python": sys.version.split()[0],
        "cases": [
            measure(data, data["records"][:300], 20, args.small_seconds),
            measure(data, data["records"], args.big_runs, 0),
        ],
    }
    for c in results["cases"]:
        print(f"python3-icalendar {results['icalendar']} {c['records']:>7} records: {c['records_per_s']:>9,.0f} records/s"
              f" CPU ({c['records_per_s_wall']:,.0f} wall), {c['bytes_per_record']:.0f} bytes/record,"
              f" median of {c['runs']} runs")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
