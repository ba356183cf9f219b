// ilinks/sources.h: the integrated record, fetched where it lives. Every
// participating organisation's FHIR endpoint is asked in parallel for one
// person (by NHS number); what each answered is merged with the HL7 v2 ADT
// messages the store holds; a source that failed or was too slow is named,
// never a silent gap.
//
//   auto answers = fetch_person(organisations, "9434765919", deadline);
//   for (auto& a : answers) if (!a.answered) ... a.why
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "ilinks/fhir_client.h"

namespace ilinks {

// One organisation whose record the service may read.
struct ParticipatingOrganisation {
  std::string ods;                  // "RVY02"
  std::string name;                 // "Southport and Ormskirk Hospital NHS Trust"
  FhirServer fhir;                  // its endpoint, credentials, timeout, retries
};

// What one organisation answered.
struct SourceAnswer {
  std::string ods, name;
  bool answered = false;            // false: failed or too slow; `why` says which
  std::string why;                  // in words, no clinical data ("no answer within 8 s")
  bool holds_person = false;        // answered and has a Patient with that NHS number
  FetchedPages pages;               // the Patient's record ($everything, or searches), every page
  double seconds = 0;               // how long it took
};

// Asks every organisation at once (one thread or transfer each): the Patient
// by identifier (https://fhir.nhs.uk/Id/nhs-number|N), then its record with
// paging. An organisation that does not hold the person has answered (with
// nothing). Waits at most `deadline_ms` in all; whoever has not answered by
// then is reported as not answering. Never throws for a source's failure.
std::vector<SourceAnswer> fetch_person(const std::vector<ParticipatingOrganisation>& organisations,
                                       const std::string& nhs_number, long deadline_ms);

// ---------------------------------------------------------------------------
// HL7 v2 over MLLP (hospital ADT feeds)
// ---------------------------------------------------------------------------

// What to do with one received message: empty `error` keeps it (ACK, MSA AA);
// otherwise the message is refused (MSA AE, or AR when `reject`) and the
// words go back in an ERR segment.
struct MllpVerdict {
  std::string error;
  bool reject = false;
};

// A TCP listener speaking MLLP (0x0B message 0x1C 0x0D): each framed
// message is handed to `on_message` (on the listener's threads) and answered
// with an ACK or NAK built from its MSH. Frames over `max_message_bytes`,
// and bytes outside a frame, are answered with a NAK and the connection closed.
class MllpListener {
 public:
  using Handler = std::function<MllpVerdict(const std::string& message)>;
  MllpListener(std::string address, int port, Handler on_message, size_t max_message_bytes = 1 << 20);
  ~MllpListener();                  // stops
  MllpListener(const MllpListener&) = delete;
  MllpListener& operator=(const MllpListener&) = delete;
  // Before start(): a connection with nothing received for this long is
  // closed (default 60 s; 0: never); connections served at once, more are closed as
  // soon as accepted (default 32).
  void set_idle_timeout_ms(long ms);
  void set_max_connections(size_t n);
  // Binds and starts accepting; throws InputError when the port cannot be bound.
  void start();
  void stop();
  int port() const;                 // the bound port (useful when 0 was asked)

 private:
  struct Impl;
  Impl* impl_;
};

// For the tests and the demo: sends one message framed, returns the reply
// (unframed). Throws InputError when the peer cannot be reached or does not answer in time.
std::string mllp_send(const std::string& address, int port, const std::string& message, long timeout_ms = 5000);

}  // namespace ilinks
