// Micro-benchmark of the feed writers (DESIGN.md §5): how many booking rows a
// second IcsWriter and JsonWriter turn into bytes, with the database and the
// FastCGI stream left out. bench/run.sh compares the ICS figures with
// python3-icalendar building the same calendar from the same records, which
// `writer_bench --dump-records N RECORDS.json [CALENDAR.ics]` writes out.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/booking.hpp"
#include "core/feed.hpp"
#include "core/ics_writer.hpp"
#include "core/json_writer.hpp"
#include "core/service_catalogue.hpp"

namespace {

using namespace std::chrono;
using vx::BookingRow;
using vx::Timestamp;

constexpr int alarm_minutes = 20;
constexpr std::string_view event_url_template = "https://indico.cern.ch/event/{event_id}/";

// splitmix64: tiny, and unlike std::uniform_int_distribution it gives the same
// numbers with every standard library, so the records are the same everywhere.
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::int64_t below(std::int64_t n) { return std::int64_t(next() % std::uint64_t(n)); }  // bias is negligible
    bool chance(int percent) { return below(100) < percent; }
    template <class T, std::size_t N>
    const T& pick(const T (&items)[N]) { return items[below(N)]; }

private:
    std::uint64_t state_;
};

// Titles as people type them into Indico: mostly English, some in other
// scripts (2-, 3- and 4-byte UTF-8), with ',' ';' '\' and line breaks that
// need escaping, and lengths from short to well past one 75-octet line.
// (No "\N": python3-icalendar's escaper turns it into a line break.)
constexpr std::string_view titles[] = {
    "CMS Weekly General Meeting",
    "ATLAS Upgrade Week: ITk Pixel session, day 2",
    "LHCb Computing Workshop; remote participation",
    "ALICE Physics Forum",
    "ISOLDE Collaboration Council",
    "EP-DT Group Meeting",
    "Accelerator Physics Forum: beam-beam effects in the HL-LHC, results from the 2025 MD blocks",
    "Academic Training Lecture Regular Programme",
    "IT Technical Forum",
    "Theory Seminar",
    "Joint LPCC/EP Seminar",
    "FCC-ee Detector Concepts; weekly coordination",
    "Summer Student Lecture: Introduction to Particle Detectors (1/3)",
    "RD51 mini-week: gaseous detectors, electronics & simulation",
    "WLCG Operations Coordination",
    "Slides on \\\\cern.ch\\dfs\\Projects\\HL-LHC\\WP2",
    "Séminaire de physique théorique : les neutrinos stériles, état des lieux",
    "Réunion de coordination — opérations du LHC, semaine 48",
    "Arbeitstreffen Detektorentwicklung: Überblick über die Größenordnungen",
    "Reunión del grupo de sabor; señales más allá del Modelo Estándar",
    "Семинар отдела теоретической физики: новые результаты по нейтрино",
    "Совещание коллаборации, итоги сеанса",
    "高能物理前沿研讨会",
    "加速器物理讲座，第三部分：束流动力学",
    "ニュートリノ物理学セミナー（第２回）",
    "Σεμινάριο Σωματιδιακής Φυσικής",
    "ندوة فيزياء الجسيمات",
    "कण भौतिकी संगोष्ठी: नवीनतम परिणाम",
    "입자물리학 세미나: 최신 결과",
    "🚀 Kick-off: CERN Open Data portal, v2 🎉",
};
constexpr std::string_view title_suffixes[] = {
    ", part 2",
    " (remote participation; see the agenda)",
    " – follow-up",
    "\nAgenda: https://indico.cern.ch/event/123456/timetable/",
    "\r\nSecond line pasted from an e-mail, with a comma",
    " / 第二部分",
    " [postponed]",
    ", room changed; please check, thanks",
};
constexpr std::string_view locations[] = {
    "CERN", "CERN", "CERN", "CERN", "Fermilab", "DESY", "KEK", "IHEP, Beijing", "TRIUMF", "Université de Genève",
};
constexpr std::string_view rooms[] = {
    "500-1-001 - Main Auditorium",
    "222-R-001 - Filtration Plant",
    "4-3-006 - TH Conference Room",
    "40-S2-A01 - Salle Anderson",
    "13-2-005",
    "Salle Curie; 2nd floor, bldg 61",
    "Wilson Hall, 1 West",
    "Seminarraum 4a (Gebäude 1b)",
};
constexpr std::string_view audiences[] = {
    "Public",
    "CERN users only",
    "ATLAS collaboration, authorised members",
    "Restricted; see the event protection",
};

// A booking row with its own storage; BookingRow only views it.
struct Record {
    std::int64_t id = 0, event_id = 0;
    const vx::Service* service = nullptr;
    std::optional<std::string> status, title, event_title;
    std::optional<Timestamp> start, end;
    Timestamp event_start{}, event_end{}, created{}, modified{};
    std::int64_t sequence = 0;
    std::optional<std::string> location, room, audience;
};

std::optional<std::string_view> view(const std::optional<std::string>& s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

BookingRow row_of(const Record& r) {
    return {.id = r.id,
            .event_id = r.event_id,
            .service = r.service,
            .status = view(r.status),
            .title = view(r.title),
            .event_title = view(r.event_title),
            .start = r.start,
            .end = r.end,
            .event_start = r.event_start,
            .event_end = r.event_end,
            .created = r.created,
            .modified = r.modified,
            .sequence = r.sequence,
            .location = view(r.location),
            .room = view(r.room),
            .audience = view(r.audience)};
}

// Present, absent (NULL) or empty, with the given percentages of the last two.
std::optional<std::string> maybe(Random& rng, std::string_view value, int null_percent, int empty_percent) {
    const auto roll = rng.below(100);
    if (roll < null_percent) return std::nullopt;
    if (roll < null_percent + empty_percent) return std::string();
    return std::string(value);
}

std::string make_title(Random& rng) {
    std::string t(rng.pick(titles));
    if (rng.chance(10)) (t += " / ") += rng.pick(titles);  // joint meetings have long names
    if (rng.chance(35)) t += rng.pick(title_suffixes);
    return t;
}

// The same seed gives the same records, and the first n of a longer run are
// the n of a shorter one: the 300-record case is a prefix of the 100k one.
std::vector<Record> generate(std::size_t n, const vx::ServiceCatalogue& catalogue) {
    Random rng(20261204);
    const auto& services = catalogue.services();  // all five CERN services
    const auto first_day = sys_days{2010y / 1 / 1};
    std::vector<Record> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        Record& r = out[i];
        r.id = 100000 + std::int64_t(i);
        r.event_id = 1 + rng.below(1500000);
        r.service = &services[std::size_t(rng.below(std::int64_t(services.size())))];
        static constexpr std::string_view statuses[] = {"pending", "accepted", "accepted"};
        r.status = maybe(rng, rng.pick(statuses), 10, 0);
        r.title = maybe(rng, make_title(rng), 8, 2);
        r.event_title = maybe(rng, make_title(rng), 5, 0);

        // Events start on a 5-minute slot between 2010 and 2027 and last from
        // half an hour to three days; most bookings add a margin of their own.
        static constexpr minutes durations[] = {30min, 60min, 90min, 120min, 180min, 240min, 480min, 2880min, 4320min};
        r.event_start = first_day + minutes(5 * rng.below(17 * 365 * 24 * 12));
        r.event_end = r.event_start + rng.pick(durations);
        if (rng.chance(85)) {
            r.start = r.event_start - 15min * rng.below(3);
            r.end = rng.chance(1) ? *r.start - 1h  // bad data, which effective_span() repairs
                                  : r.event_end + 15min * rng.below(3);
        } else if (rng.chance(20)) {
            r.start = r.event_start;  // without an end: both times come from the event
        }
        // Stored times keep PostgreSQL's microseconds; printed ones are truncated.
        r.created = r.event_start - seconds(1 + rng.below(200 * 86400)) + microseconds(rng.below(1000000));
        r.modified = r.created + seconds(rng.below(100 * 86400)) + microseconds(rng.below(1000000));
        r.sequence = rng.below(7);

        r.location = maybe(rng, rng.pick(locations), 10, 3);
        r.room = maybe(rng, rng.pick(rooms), 20, 5);
        r.audience = maybe(rng, rng.pick(audiences), 50, 20);  // '' shows "No restriction"
    }
    return out;
}

// Everything the benchmarks share, built once, before any timing.
struct Fixture {
    static constexpr std::size_t max_records = 100000;

    vx::ServiceCatalogue catalogue = vx::ServiceCatalogue::cern();
    vx::FeedSettings settings = [] {
        vx::FeedSettings s;
        s.prodid = "-//CERN//Indico Video Export//EN";
        s.uid_domain = "indico.cern.ch";
        s.event_url = vx::EventUrlTemplate(event_url_template);
        return s;
    }();
    vx::FeedHeader header{vx::calendar_title(settings.calendar_name, catalogue.resolve({"all"}))};
    vx::FeedTrailer trailer{true, 1764840000, "https://indico.cern.ch/export/video/all.json"};
    std::vector<Record> records;
    std::vector<BookingRow> rows;

    explicit Fixture(std::size_t n) : records(generate(n, catalogue)) {
        rows.reserve(records.size());
        for (const Record& r : records) rows.push_back(row_of(r));
    }
};

const Fixture& fixture() {
    static const Fixture f(Fixture::max_records);
    return f;
}

void write_feed(vx::FeedWriter& writer, const Fixture& f, std::span<const BookingRow> rows) {
    writer.begin(f.header);
    for (const BookingRow& row : rows) writer.add(row);
    writer.finish(f.trailer);
}

// Discards the bytes but counts them: the count feeds bytes/s, and the call
// through the Sink interface (defined in another translation unit) keeps the
// compiler from dropping the work.
class CountingSink final : public vx::Sink {
public:
    void write(std::string_view bytes) override {
        benchmark::DoNotOptimize(bytes.data());
        count += bytes.size();
    }
    std::size_t count = 0;
};

void report(benchmark::State& state, std::size_t records, const CountingSink& sink) {
    const auto items = std::int64_t(state.iterations()) * std::int64_t(records);
    state.SetItemsProcessed(items);  // items_per_second = records/s
    state.SetBytesProcessed(std::int64_t(sink.count));
    state.counters["bytes_per_record"] = double(sink.count) / double(items);
}

// A whole calendar per iteration, writer construction included: that is what
// one request costs the service once its rows are fetched.
void BM_ics_writer(benchmark::State& state) {
    const Fixture& f = fixture();
    const auto rows = std::span(f.rows).first(std::size_t(state.range(0)));
    CountingSink sink;
    for (auto _ : state) {
        vx::IcsWriter writer(sink, f.settings, alarm_minutes);
        write_feed(writer, f, rows);
    }
    report(state, rows.size(), sink);
}
BENCHMARK(BM_ics_writer)->Arg(300)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_json_writer(benchmark::State& state) {
    const Fixture& f = fixture();
    const auto rows = std::span(f.rows).first(std::size_t(state.range(0)));
    CountingSink sink;
    for (auto _ : state) {
        vx::JsonWriter writer(sink, f.settings);
        write_feed(writer, f, rows);
    }
    report(state, rows.size(), sink);
}
BENCHMARK(BM_json_writer)->Arg(100000)->Unit(benchmark::kMillisecond);

std::int64_t micros(Timestamp t) { return t.time_since_epoch().count(); }

void put_string(std::string& out, const std::optional<std::string>& s) {
    if (s) vx::append_json_string(out, *s);
    else out += "null";
}

void put_time(std::string& out, const std::optional<Timestamp>& t) {
    out += t ? std::to_string(micros(*t)) : "null";
}

// The records, the services and the settings as JSON for
// python_icalendar_bench.py, so both sides render identical data; times are
// microseconds since the epoch. With a second file, also our calendar of
// those records, which the Python script can check against its own.
int dump_records(std::size_t n, const char* records_path, const char* calendar_path) {
    const Fixture f(n);
    std::string out = "{\"settings\":{\"prodid\":";
    vx::append_json_string(out, f.settings.prodid);
    out += ",\"uid_domain\":";
    vx::append_json_string(out, f.settings.uid_domain);
    out += ",\"calendar_title\":";
    vx::append_json_string(out, f.header.title);
    out += ",\"refresh_interval\":";
    vx::append_json_string(out, f.settings.refresh_interval);
    out += ",\"event_url_template\":";
    vx::append_json_string(out, event_url_template);
    out += ",\"alarm_minutes\":" + std::to_string(alarm_minutes) + "},\n\"services\":{";
    for (const vx::Service& s : f.catalogue.services()) {
        if (&s != &f.catalogue.services().front()) out += ',';
        vx::append_json_string(out, s.slug);
        out += ":{\"type\":";
        vx::append_json_string(out, s.type);
        out += ",\"prefix\":";
        vx::append_json_string(out, s.prefix());
        out += s.has_accept_reject ? ",\"accept_reject\":true}" : ",\"accept_reject\":false}";
    }
    out += "},\n\"records\":[\n";
    for (const Record& r : f.records) {
        if (&r != &f.records.front()) out += ",\n";
        out += "{\"id\":" + std::to_string(r.id) + ",\"event_id\":" + std::to_string(r.event_id) + ",\"service\":";
        vx::append_json_string(out, r.service->slug);
        const std::pair<const char*, const std::optional<std::string>*> texts[] = {
            {"status", &r.status}, {"title", &r.title}, {"event_title", &r.event_title}, {"location", &r.location},
            {"room", &r.room},     {"audience", &r.audience}};
        for (const auto& [name, value] : texts) {
            out += ",\"" + std::string(name) + "\":";
            put_string(out, *value);
        }
        const std::pair<const char*, std::optional<Timestamp>> times[] = {
            {"start", r.start},           {"end", r.end},         {"event_start", r.event_start},
            {"event_end", r.event_end}, {"created", r.created}, {"modified", r.modified}};
        for (const auto& [name, value] : times) {
            out += ",\"" + std::string(name) + "\":";
            put_time(out, value);
        }
        out += ",\"sequence\":" + std::to_string(r.sequence) + "}";
    }
    out += "\n]}\n";
    std::ofstream(records_path, std::ios::binary) << out;

    if (calendar_path) {
        vx::StringSink sink;
        vx::IcsWriter writer(sink, f.settings, alarm_minutes);
        write_feed(writer, f, f.rows);
        std::ofstream(calendar_path, std::ios::binary) << sink.data;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Handled before benchmark::Initialize, which would reject the flag.
    if (argc >= 2 && std::string_view(argv[1]) == "--dump-records") {
        if (argc != 4 && argc != 5) {
            std::cerr << "usage: " << argv[0] << " --dump-records N RECORDS.json [CALENDAR.ics]\n";
            return 2;
        }
        return dump_records(std::stoul(argv[2]), argv[3], argc == 5 ? argv[4] : nullptr);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
