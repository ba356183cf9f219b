// fetch_person: one person's record from every participating organisation
// at once.
//
// One std::thread per organisation, each running core/fetch's libcurl easy
// fetch, rather than one libcurl multi loop. What each organisation needs is
// a chain of dependent requests (the Patient search, then $everything or the
// kind-by-kind fallback, each paged, each tried again with backoff on 429 and
// 5xx); with multi that chain would have to be written again as a state
// machine, beside the tested one the viewers use. Organisations are tens,
// not thousands, so a thread each costs little, and each thread's requests
// are bounded by its own FhirServer timeout.
//
// The caller waits until every organisation has answered or the deadline
// has passed, never longer. A thread still running then is left to finish
// alone (detached): it writes only to state it shares through a shared_ptr,
// so whatever it does afterwards touches nothing the caller has freed.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "ilinks/nhs_number.h"
#include "ilinks/sources.h"
#include "source_words.h"

namespace ilinks {
namespace {

using Clock = std::chrono::steady_clock;

const char* const kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

// What the caller and the organisations' threads share. Lives as long as the
// last of them.
struct Gathering {
  std::mutex mutex;
  std::condition_variable one_answered;
  std::vector<SourceAnswer> answers;  // in the organisations' order
  std::vector<bool> finished;
  size_t waiting = 0;                 // organisations not yet finished
};

// One organisation's whole exchange: never throws.
SourceAnswer ask(const ParticipatingOrganisation& org, const std::string& nhs_number) {
  SourceAnswer a;
  a.ods = org.ods;
  a.name = org.name;
  try {
    FetchedPages pages;
    std::vector<std::string> ids = find_patients(org.fhir, kNhsNumberSystem, nhs_number, pages);
    if (ids.empty()) {
      a.answered = true;  // it does not hold the person: an answer, with nothing in it
      return a;
    }
    if (ids.size() > 1) {
      // Two people under one NHS number there: whichever we chose could be
      // the wrong person's record.
      a.why = "holds more than one person with that NHS number; its entries are not shown";
      return a;
    }
    FetchedPages record = fetch_patient(org.fhir, ids.front());
    for (size_t i = 0; i < record.bodies.size(); ++i) {
      pages.urls.push_back(std::move(record.urls[i]));
      pages.bodies.push_back(std::move(record.bodies[i]));
    }
    a.pages = std::move(pages);
    a.answered = a.holds_person = true;
  } catch (const FetchError& e) {
    a.why = detail::why_fetch_failed(e.failure, org.fhir.timeout_ms);
  } catch (const InputError& e) {
    a.why = detail::why_not_asked(e);
  } catch (const std::exception&) {
    a.why = "could not be asked: the service failed while reading its answer";
  }
  return a;
}

}  // namespace

std::vector<SourceAnswer> fetch_person(const std::vector<ParticipatingOrganisation>& organisations,
                                       const std::string& nhs_number, long deadline_ms) {
  // Checked before any request: a mistyped number must not be sent to
  // every organisation in the region.
  std::string number = normalise_nhs_number(nhs_number);
  if (!is_valid_nhs_number(number))
    throw InputError("the NHS number given is not valid (ten digits, the last a modulus-11 check digit); no organisation was asked");
  if (deadline_ms <= 0) throw InputError("the deadline for the organisations' answers must be more than 0 ms");

  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + std::chrono::milliseconds(deadline_ms);
  auto shared = std::make_shared<Gathering>();
  shared->answers.resize(organisations.size());
  shared->finished.assign(organisations.size(), false);
  shared->waiting = organisations.size();

  for (size_t i = 0; i < organisations.size(); ++i) {
    ParticipatingOrganisation org = organisations[i];  // the thread's own copy
    // No single request may outlast the whole wait, so a late source's
    // thread gives up within its few tries of the deadline's length, rather
    // than running on for the organisation's own (longer) timeout.
    org.fhir.timeout_ms = std::min(org.fhir.timeout_ms, deadline_ms);
    auto run = [shared, i, org, number, start] {
      SourceAnswer a = ask(org, number);
      a.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->answers[i] = std::move(a);
      shared->finished[i] = true;
      --shared->waiting;
      shared->one_answered.notify_all();
    };
    try {
      std::thread(run).detach();
    } catch (const std::system_error&) {
      SourceAnswer a;
      a.ods = org.ods;
      a.name = org.name;
      a.why = "could not be asked: the service could not start another request (too many at once)";
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->answers[i] = std::move(a);
      shared->finished[i] = true;
      --shared->waiting;
    }
  }

  std::unique_lock<std::mutex> lock(shared->mutex);
  shared->one_answered.wait_until(lock, deadline, [&] { return shared->waiting == 0; });
  double waited = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<SourceAnswer> out;
  out.reserve(organisations.size());
  for (size_t i = 0; i < organisations.size(); ++i) {
    if (shared->finished[i]) {
      out.push_back(std::move(shared->answers[i]));  // its thread has ended: the answer is ours
      continue;
    }
    SourceAnswer late;
    late.ods = organisations[i].ods;
    late.name = organisations[i].name;
    late.why = "no answer within " + detail::seconds_in_words(deadline_ms);
    late.seconds = waited;
    out.push_back(std::move(late));
  }
  return out;
}

}  // namespace ilinks
