"""A feed read three ways: its raw bytes (RFC 5545 framing), Debian's
python3-icalendar, and npm's ical.js (parse_icaljs.mjs). The two parsers'
readings come back in the shape of expected.Snapshot.ics_values, so a test
compares each with what the database says."""

import json
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import icalendar

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")


def framing_problems(body):
    """RFC 5545 §3.1 on the bytes: CRLF line ends, lines of at most 75
    octets, each valid UTF-8 on its own, no control characters but TAB,
    VCALENDAR first and last."""
    problems = []
    if not body.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = body.split(b"\r\n")[:-1]
    if not lines or lines[0] != b"BEGIN:VCALENDAR" or lines[-1] != b"END:VCALENDAR":
        problems.append(f"not framed by BEGIN:VCALENDAR ... END:VCALENDAR: {lines[:1]} ... {lines[-1:]}")
    for n, line in enumerate(lines, 1):
        if len(problems) > 20:
            break
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {n}: bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {n}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(f"line {n}: not UTF-8 on its own ({e.reason})")
        if any(c < 0x20 and c != 0x09 or c == 0x7F for c in line):
            problems.append(f"line {n}: control character")
    return problems


def _ics_time(value):
    dt = value.dt
    if not isinstance(dt, datetime) or dt.utcoffset() is None or dt.utcoffset().total_seconds() != 0:
        return f"not a UTC date-time: {value.to_ical()!r}"
    return dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _text(component, name):
    v = component.get(name)
    if v is None:
        return None
    if isinstance(v, list):
        return f"{name} appears {len(v)} times"
    return str(v)


def parse_python(body):
    """(calendar properties, events) as python3-icalendar reads them."""
    cal = icalendar.Calendar.from_ical(body)
    calendar = {name: _text(cal, name) for name in ("VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME",
                                                    "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL")}
    known = {"UID", "SUMMARY", "STATUS", "DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED", "CREATED", "SEQUENCE",
             "CATEGORIES", "URL", "LOCATION", "DESCRIPTION"}
    events = []
    for ev in cal.walk("VEVENT"):
        alarms = ev.walk("VALARM")
        cats = ev.get("CATEGORIES")
        e = {
            "UID": _text(ev, "UID"),
            "SUMMARY": _text(ev, "SUMMARY"),
            "STATUS": _text(ev, "STATUS"),
            **{k: _ics_time(ev[k]) if k in ev else None
               for k in ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED", "CREATED")},
            "SEQUENCE": int(ev["SEQUENCE"]) if "SEQUENCE" in ev else None,
            "CATEGORIES": [str(c) for c in cats.cats] if cats is not None else None,
            "URL": _text(ev, "URL"),
            "LOCATION": _text(ev, "LOCATION"),
            "DESCRIPTION": _text(ev, "DESCRIPTION"),
            "VALARM": None,
        }
        if alarms:
            a = alarms[0]
            trigger = a.get("TRIGGER")
            minutes = -int(trigger.dt.total_seconds() // 60) if trigger is not None else None
            e["VALARM"] = {"ACTION": _text(a, "ACTION"),
                           "TRIGGER": f"-PT{minutes}M" if minutes is not None else None,
                           "DESCRIPTION": _text(a, "DESCRIPTION")}
            if "SUMMARY" in a:
                e["VALARM"]["SUMMARY"] = _text(a, "SUMMARY")
            if len(alarms) > 1:
                e["VALARM"] = f"{len(alarms)} VALARMs"
        for name in ev.keys():
            if name not in known:
                e[f"unexpected {name.lower()}"] = ev[name].to_ical().decode() if hasattr(ev[name], "to_ical") else "?"
        events.append(e)
    return calendar, events


def parse_icaljs(body):
    """(calendar properties, events) as ical.js reads them."""
    if NODE is None:
        raise RuntimeError("node is not installed (Debian package nodejs)")
    with tempfile.NamedTemporaryFile(suffix=".ics") as f:
        f.write(body)
        f.flush()
        r = subprocess.run([NODE, str(HERE / "parse_icaljs.mjs"), f.name], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"ical.js failed: {r.stderr.decode(errors='replace')}")
    out = json.loads(r.stdout)
    return out["calendar"], out["events"]
