// Ingest + policy benchmark: how fast core turns FHIR JSON into a placed
// Record and a consented doctor's View, and how much memory that takes as a
// multiple of the input. One input per process, so the peak is that input's:
// scripts/bench runs it natively and as WebAssembly under Node, and never in
// scripts/test (timings on shared machines are noise, not pass/fail).
//
//   ilinks-bench-ingest FILE            a FHIR file
//   ilinks-bench-ingest --twenty-year   the generated 20-year record (tests/tools)
//   ilinks-bench-ingest --arriving FILE the peak of reading FILE as it arrives in 2 MB pieces, alone
// Prints one line of JSON.
//   ilinks-bench-ingest --write-twenty-year FILE   writes that record (for the browser benchmark)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <malloc.h>
#include <nlohmann/json.hpp>
#ifdef __EMSCRIPTEN__
#include <unistd.h>

#include <cstdint>
#endif

#include "../tools/consented_view.h"
#include "../tools/twenty_year_record.h"
#include "ilinks/audit.h"
#include "ilinks/classification.h"
#include "ilinks/policy.h"
#include "ilinks/record_builder.h"
#include "json_reader.h"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Memory the process holds now and at most so far, in bytes, and (natively)
// what malloc has handed out and not had back: the difference is memory freed
// but kept by malloc. In WebAssembly, malloc's break (sbrk(0)) only moves up,
// so it is the high-water mark.
struct Memory { double now = 0, peak = 0, in_use = 0; };
Memory memory() {
#ifdef __EMSCRIPTEN__
  double top = static_cast<double>(reinterpret_cast<uintptr_t>(sbrk(0)));
  struct mallinfo info = mallinfo();
  return {top, top, static_cast<double>(info.uordblks)};
#else
  Memory m;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) m.now = std::stod(line.substr(6)) * 1024;
    if (line.rfind("VmHWM:", 0) == 0) m.peak = std::stod(line.substr(6)) * 1024;
  }
  struct mallinfo2 info = mallinfo2();
  m.in_use = static_cast<double>(info.uordblks + info.hblkhd);
  return m;
#endif
}

// One pass: read, place, and ask the policy for a consented doctor's View
// (natively, a large Bundle with two threads unless `one_thread`).
// Where the time goes, in seconds: reading the text (add), placing the
// record (build), the policy's View (view).
struct Steps { double add = 0, build = 0, view = 0; };
size_t ingest_and_view(const std::string& name, const std::string& text, size_t& shown, bool one_thread = false,
                       Steps* steps = nullptr) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  ilinks::RecordBuilder builder;
  ilinks::InputOptions options{name, {}};
  if (one_thread) options.two_threads_from = std::numeric_limits<size_t>::max();
  builder.add(text, options);
  auto t1 = clock::now();
  ilinks::Record record = builder.build();
  auto t2 = clock::now();
  size_t read = record.items().size();
  std::optional<ilinks::View> view = ilinks::test::consented_view(std::move(record), "bench");
  shown = view ? view->items().size() : 0;
  if (steps) {
    auto t3 = clock::now();
    *steps = {std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count(),
              std::chrono::duration<double>(t3 - t2).count()};
  }
  return read;
}

// Where the bytes go: the first pass, in a fresh process, as a host runs it
// (the file read, then dropped once read), with the memory after each step.
struct Stages { double read = 0, ingested = 0, built = 0, viewed = 0, peak = 0, live_built = 0, live_viewed = 0; };
Stages first_pass(const std::string& name, std::string text) {
  Stages s;
  double base = memory().now - static_cast<double>(text.size());  // the text was read before
  auto mb = [&](double bytes) { return (bytes - base) / (1024.0 * 1024.0); };
  s.read = mb(memory().now);
  ilinks::RecordBuilder builder;
  builder.add(text, {name, {}});
  s.ingested = mb(memory().now);
  std::string().swap(text);
  ilinks::Record record = builder.build();
  { ilinks::RecordBuilder done = std::move(builder); }
  s.built = mb(memory().now);
  s.live_built = memory().in_use / (1024.0 * 1024.0);
  std::optional<ilinks::View> view = ilinks::test::consented_view(std::move(record), "bench");
  s.viewed = mb(memory().now);
  s.live_viewed = memory().in_use / (1024.0 * 1024.0);
  s.peak = mb(memory().peak);
  return s;
}

// The JSON library alone: nlohmann's SAX parser over the same text with a
// handler that only counts events: the ceiling it set for the ingest until
// issue 18's seventh stop measured it at half the ingest's time and gave the
// reader its own JSON reader (below), held to nlohmann's events by the tests.
struct CountingSax {
  size_t events = 0;
  bool null() { return ++events; }
  bool boolean(bool) { return ++events; }
  bool number_integer(nlohmann::json::number_integer_t) { return ++events; }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return ++events; }
  bool number_float(nlohmann::json::number_float_t, const std::string&) { return ++events; }
  bool string(std::string&) { return ++events; }
  bool binary(nlohmann::json::binary_t&) { return ++events; }
  bool start_object(std::size_t) { return ++events; }
  bool key(std::string&) { return ++events; }
  bool end_object() { return ++events; }
  bool start_array(std::size_t) { return ++events; }
  bool end_array() { return ++events; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) { return false; }
};

double json_alone_seconds(const std::string& text) {
  CountingSax sax;
  auto start = std::chrono::steady_clock::now();
  bool read = nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return read && sax.events > 0 ? seconds : 0;
}

// The streaming FHIR reader's own JSON reader (core/ingest/src/json_reader.h),
// which the ingest uses since issue 18's seventh stop, with a handler that only
// counts: its ceiling, beside nlohmann's.
struct CountingEvents {
  size_t events = 0;
  bool null() { return ++events; }
  bool boolean(bool) { return ++events; }
  bool number_integer(int64_t) { return ++events; }
  bool number_unsigned(uint64_t) { return ++events; }
  bool number_float(double, const std::string&) { return ++events; }
  bool string(std::string_view, bool) { return ++events; }
  bool key(std::string_view, bool) { return ++events; }
  bool start_object() { return ++events; }
  bool end_object() { return ++events; }
  bool start_array() { return ++events; }
  bool end_array() { return ++events; }
  bool parse_error(size_t, const std::string&) { return false; }
};

double reader_alone_seconds(const std::string& text) {
  CountingEvents events;
  auto start = std::chrono::steady_clock::now();
  bool read = ilinks::detail::JsonReader<CountingEvents>(text.data(), text.data() + text.size(), events).parse();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return read && events.events > 0 ? seconds : 0;
}

// The same input arriving in pieces of 2 MB, as Chromium hands a download
// to the widget (ilinks_viewer_load_fhir_more): the time spent reading while
// it arrives, and the time from its last byte to the View.
struct Arriving { double while_arriving = 0, after_last_byte = 0; };
Arriving arriving_pass(const std::string& name, const std::string& text) {
  Arriving a;
  constexpr size_t kPiece = size_t{2} << 20;
  auto start = std::chrono::steady_clock::now();
  ilinks::ArrivingInput input({name, {}}, text.size());
  for (size_t at = 0; at < text.size(); at += kPiece) input.append(std::string_view(text).substr(at, kPiece));
  auto last_byte = std::chrono::steady_clock::now();
  ilinks::RecordBuilder builder;
  builder.add(std::move(input));
  std::optional<ilinks::View> view = ilinks::test::consented_view(builder.build(), "bench");
  auto end = std::chrono::steady_clock::now();
  a.while_arriving = std::chrono::duration<double>(last_byte - start).count();
  a.after_last_byte = std::chrono::duration<double>(end - last_byte).count();
  return view ? a : Arriving{};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-twenty-year") {
    std::ofstream(argv[2], std::ios::binary) << ilinks::test::twenty_year_record();
    return 0;
  }
  if (argc == 3 && std::string(argv[1]) == "--arriving") {
    // The peak of reading a file as it arrives, in 2 MB pieces straight from
    // the file (as a download comes, its size not said beforehand), alone in
    // its process: the meter is the process's high-water mark. As a multiple
    // of the file's size.
    double base = memory().now;
    std::ifstream in(argv[2], std::ios::binary);
    ilinks::ArrivingInput input({argv[2], {}});  // no size expected, as with a chunked answer
    std::string piece(size_t{2} << 20, '\0');
    size_t size = 0;
    while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
      input.append(std::string_view(piece.data(), static_cast<size_t>(in.gcount())));
      size += static_cast<size_t>(in.gcount());
    }
    std::string().swap(piece);
    ilinks::RecordBuilder builder;
    builder.add(std::move(input));
    std::optional<ilinks::View> view = ilinks::test::consented_view(builder.build(), "bench");
    double peak = (memory().peak - base) / static_cast<double>(size ? size : 1);
    std::printf("{\"input\":\"%s\",\"arriving_peak_per_input\":%.2f,\"shown\":%zu}\n", argv[2], peak,
                view ? view->items().size() : size_t{0});
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: ilinks-bench-ingest FILE | --twenty-year | --arriving FILE\n");
    return 2;
  }
  std::string arg = argv[1];
  bool generated = arg == "--twenty-year";
  std::string text = generated ? ilinks::test::twenty_year_record() : slurp(arg);
  if (text.empty()) {
    std::fprintf(stderr, "ilinks-bench-ingest: %s could not be read\n", arg.c_str());
    return 2;
  }
  std::string name = generated ? "generated 20-year record" : arg.substr(arg.rfind('/') + 1);
  double mb = static_cast<double>(text.size()) / (1024.0 * 1024.0);
  // The first pass is also the code's first run in the process: cold, as a
  // page's first load is in a browser, before V8's optimising tier has
  // compiled the WebAssembly's hot functions (the runs below are warm).
  auto rules_start = std::chrono::steady_clock::now();
  ilinks::Classification::builtin();  // the built-in rules and policy, loaded once per process
  ilinks::Policy::builtin();
  auto cold_start = std::chrono::steady_clock::now();
  double rules_time = std::chrono::duration<double>(cold_start - rules_start).count();
  Stages stages = first_pass(name, text);
  double cold_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - cold_start).count();
  size_t items = 0, shown = 0;
  std::vector<double> seconds, add_s, build_s, view_s;
  for (int run = 0; run < 5; ++run) {
    auto start = std::chrono::steady_clock::now();
    Steps steps;
    items = ingest_and_view(name, text, shown, false, &steps);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    add_s.push_back(steps.add);
    build_s.push_back(steps.build);
    view_s.push_back(steps.view);
  }
  double time = median(seconds);
  uint64_t halves_before = ilinks::RecordBuilder::second_halves_read_by_a_worker();
  ingest_and_view(name, text, shown);
  bool two_threads = ilinks::RecordBuilder::second_halves_read_by_a_worker() > halves_before;
  std::vector<double> one_thread_seconds;
  for (int run = 0; run < (two_threads ? 5 : 0); ++run) {
    auto start = std::chrono::steady_clock::now();
    ingest_and_view(name, text, shown, true);
    one_thread_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  double one_thread_time = two_threads ? median(one_thread_seconds) : time;
  std::vector<double> json_seconds;
  for (int run = 0; run < 5; ++run) json_seconds.push_back(json_alone_seconds(text));
  double json_time = median(json_seconds);
  std::vector<double> reader_seconds;
  for (int run = 0; run < 5; ++run) reader_seconds.push_back(reader_alone_seconds(text));
  double reader_time = median(reader_seconds);
  std::vector<double> while_arriving, after_last_byte;
  for (int run = 0; run < 5; ++run) {
    Arriving a = arriving_pass(name, text);
    while_arriving.push_back(a.while_arriving);
    after_last_byte.push_back(a.after_last_byte);
  }
  // peak_per_input: the most memory the record cost at any moment of the
  // first pass, its text included, as a multiple of the text's size.
  std::printf("{\"input\":\"%s\",\"mb\":%.2f,\"seconds\":%.4f,\"mb_per_s\":%.1f,\"items\":%zu,\"shown\":%zu,"
              "\"peak_mb\":%.1f,\"peak_per_input\":%.2f,\"after_read_mb\":%.1f,\"after_ingest_mb\":%.1f,"
              "\"after_build_mb\":%.1f,\"after_view_mb\":%.1f,\"record_in_use_mb\":%.1f,\"record_and_view_in_use_mb\":%.1f,"
              "\"json_alone_mb_per_s\":%.1f,\"two_threads\":%s,\"one_thread_mb_per_s\":%.1f,"
              "\"arriving_read_s\":%.4f,\"after_last_byte_s\":%.4f,\"cold_mb_per_s\":%.1f,\"rules_load_s\":%.4f,"
              "\"add_s\":%.4f,\"build_s\":%.4f,\"view_s\":%.4f,\"reader_alone_mb_per_s\":%.1f}\n",
              name.c_str(), mb, time, mb / time, items, shown, stages.peak, stages.peak / mb, stages.read, stages.ingested,
              stages.built, stages.viewed, stages.live_built, stages.live_viewed, json_time > 0 ? mb / json_time : 0.0,
              two_threads ? "true" : "false", mb / one_thread_time, median(while_arriving), median(after_last_byte),
              mb / cold_time, rules_time, median(add_s), median(build_s), median(view_s),
              reader_time > 0 ? mb / reader_time : 0.0);
  return 0;
}
