"""What a feed must contain, computed from the database rows by an
implementation of DESIGN.md §4–§5 of its own (visibility, fallbacks, SUMMARY,
LOCATION, DESCRIPTION, order), independent of the service's C++ code.

    snap = Snapshot(dsn)
    rows = snap.expected(user_id=1, slugs=["all"])       # list of dicts
    ics = [snap.ics_values(r) for r in rows]            # what a parser must read
"""

from harness import CALENDAR_NAME, EVENT_URL_TEMPLATE, query_json

UID_DOMAIN = "indico"
ICS_TIME = "YYYYMMDD\"T\"HH24MISS\"Z\""
ISO_TIME = "YYYY-MM-DD\"T\"HH24:MI:SS\"Z\""


def _t(column):
    # to_char prints the seconds field without rounding: truncated, as in the feed.
    return (f"to_char({column} AT TIME ZONE 'UTC', '{ICS_TIME}') AS {column.split('.')[-1]}_ics, "
            f"to_char({column} AT TIME ZONE 'UTC', '{ISO_TIME}') AS {column.split('.')[-1]}_iso")


class Snapshot:
    """The rows that decide feeds, read once."""

    def __init__(self, dsn):
        self.dsn = dsn
        q = lambda sql: query_json(dsn, sql)  # noqa: E731
        self.users = {u["id"]: u for u in q("SELECT id, is_admin, is_deleted, is_blocked FROM video_export.users")}
        self.categories = {c["id"]: c for c in q("SELECT id, parent_id, protection_mode FROM video_export.categories")}
        self.category_acl = {(a["category_id"], a["user_id"])
                             for a in q("SELECT category_id, user_id FROM video_export.category_acl")}
        self.event_acl = {(a["event_id"], a["user_id"]) for a in q("SELECT event_id, user_id FROM video_export.event_acl")}
        self.services = {s["type"]: s for s in q(
            "SELECT slug, type, coalesce(summary_prefix, type) AS prefix, has_accept_reject, is_retired "
            "FROM video_export.video_services")}
        self.events = {e["id"]: e for e in q(
            "SELECT id, category_id, title, location, room, protection_mode, is_deleted FROM video_export.events")}
        # In feed order: stored start, then id (DESIGN.md §3 order=start).
        self.bookings = q(
            "SELECT b.id, b.event_id, b.service_type, b.status, b.title, b.audience, b.sequence, b.is_deleted, "
            f"{_t('b.export_start_dt')}, {_t('b.export_end_dt')}, {_t('b.created_dt')}, {_t('b.modified_dt')} "
            "FROM video_export.bookings b ORDER BY b.export_start_dt, b.id")

    # ---- access (Indico's can_access) -----------------------------------
    def _can_access_category(self, category_id, user_id):
        c = self.categories[category_id]
        if c["protection_mode"] == "public":
            return True
        if user_id is not None and (category_id, user_id) in self.category_acl:
            return True
        if c["protection_mode"] == "protected":
            return False
        return c["parent_id"] is not None and self._can_access_category(c["parent_id"], user_id)

    def can_access_event(self, event_id, user_id):
        """user_id None: an anonymous user (onlypublic=yes)."""
        if user_id is not None and self.users[user_id]["is_admin"]:
            return True
        e = self.events[event_id]
        if e["protection_mode"] == "public":
            return True
        if user_id is not None and (event_id, user_id) in self.event_acl:
            return True
        if e["protection_mode"] == "protected":
            return False
        return self._can_access_category(e["category_id"], user_id)

    def _in_category(self, event_id, categ):
        c = self.events[event_id]["category_id"]
        while c is not None:
            if c == categ:
                return True
            c = self.categories[c]["parent_id"]
        return False

    # ---- selection ------------------------------------------------------
    def service_types(self, slugs):
        by_slug = {s["slug"]: s for s in self.services.values()}
        if "all" in slugs:
            return {t for t, s in self.services.items() if not s["is_retired"]}
        return {by_slug[s]["type"] for s in slugs if s in by_slug and not by_slug[s]["is_retired"]}

    def expected(self, user_id, slugs=("all",), *, onlypublic=False, categ=None, window=None):
        """Booking rows the feed of `user_id` must list, in feed order.
        window: (from_iso, to_iso) in 'YYYY-MM-DDTHH:MM:SSZ' (inclusive)."""
        types = self.service_types(slugs)
        viewer = None if onlypublic else user_id
        out = []
        for b in self.bookings:
            e = self.events[b["event_id"]]
            if b["is_deleted"] or e["is_deleted"] or b["status"] == "rejected" or b["service_type"] not in types:
                continue
            if onlypublic:
                if not self.can_access_event(e["id"], None):
                    continue
            elif not self.can_access_event(e["id"], viewer):
                continue
            if categ is not None and not self._in_category(e["id"], categ):
                continue
            if window is not None:
                lo, hi = window
                if (hi is not None and b["export_start_dt_iso"] > hi) or (lo is not None and b["export_end_dt_iso"] < lo):
                    continue
            out.append(b)
        return out

    # ---- rendering rules (DESIGN.md §5), written out -------------------
    def approval(self, b):
        s = self.services[b["service_type"]]
        if not s["has_accept_reject"]:
            return None
        return "accepted" if b["status"] == "accepted" else "pending"

    def title(self, b):
        e = self.events[b["event_id"]]
        return b["title"] or e["title"] or "No title defined."

    def summary(self, b):
        s = self.services[b["service_type"]]
        flag = {"accepted": "-A", "pending": "-P", None: ""}[self.approval(b)]
        return f"{s['prefix']}{flag}: {self.title(b)}"

    def location(self, b):
        e = self.events[b["event_id"]]
        parts = [p for p in (e["location"], e["room"]) if p]
        return ": ".join(parts) if parts else None

    def url(self, b):
        return EVENT_URL_TEMPLATE.replace("{event_id}", str(b["event_id"]))

    def description(self, b):
        lines = []
        if b["audience"] is not None:
            lines.append(f"Audience: {b['audience'] or 'No restriction'}")
        lines.append(f"Event URL: {self.url(b)}")
        return "\n".join(lines)

    def uid(self, b):
        return f"indico-collaboration-a{b['event_id']}csbook{b['id']}@{UID_DOMAIN}"

    def ics_values(self, b, alarms=None):
        """What a parser must read from the VEVENT, property by property
        (texts unescaped, times as 'YYYYMMDDTHHMMSSZ')."""
        v = {
            "UID": self.uid(b),
            "SUMMARY": self.summary(b),
            "STATUS": "TENTATIVE" if self.approval(b) == "pending" else "CONFIRMED",
            "DTSTART": b["export_start_dt_ics"],
            "DTEND": b["export_end_dt_ics"],
            "DTSTAMP": b["modified_dt_ics"],
            "LAST-MODIFIED": b["modified_dt_ics"],
            "CREATED": b["created_dt_ics"],
            "SEQUENCE": b["sequence"],
            "CATEGORIES": [f"VideoService - {b['service_type']}"],
            "URL": self.url(b),
            "LOCATION": self.location(b),
            "DESCRIPTION": self.description(b),
            "VALARM": None,
        }
        if alarms is not None:
            v["VALARM"] = {"ACTION": "DISPLAY", "TRIGGER": f"-PT{alarms}M", "DESCRIPTION": v["SUMMARY"]}
        return v

    def json_values(self, b):
        e = self.events[b["event_id"]]
        return {
            "id": b["id"],
            "event_id": b["event_id"],
            "uid": self.uid(b),
            "service": self.services[b["service_type"]]["slug"],
            "status": self.approval(b),
            "title": self.title(b),
            "summary": self.summary(b),
            "start": b["export_start_dt_iso"],
            "end": b["export_end_dt_iso"],
            "modified": b["modified_dt_iso"],
            "location": e["location"] or None,
            "room": e["room"] or None,
            "audience": b["audience"],
            "url": self.url(b),
        }

    def calendar_name(self, slugs):
        """{calendar_name}: {types in URL order} / all services / bare."""
        if "all" in slugs:
            return f"{CALENDAR_NAME}: all services"
        by_slug = {s["slug"]: s for s in self.services.values()}
        seen, names = set(), []
        for slug in slugs:
            s = by_slug.get(slug)
            if s and not s["is_retired"] and slug not in seen:
                seen.add(slug)
                names.append(s["type"])
        return f"{CALENDAR_NAME}: {', '.join(names)}" if names else CALENDAR_NAME
