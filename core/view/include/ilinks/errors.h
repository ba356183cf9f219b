// ilinks/errors.h: what can go wrong, as types chosen where it goes wrong.
//
// Every error says what, where and why in words a support desk can act on.
// Callers tell them apart by type (or Error::kind()), never by their text.
// None ever carries a clinical value that the policy withheld.
#pragma once
#include <stdexcept>
#include <string>

namespace ilinks {

enum class ErrorKind {
  input,        // a record input cannot be read (not JSON, not FHIR, no Patient, a server that failed)
  policy_file,  // a policy, classification, participants, layout or code list file is not valid
  audit,        // an audit event could not be written or delivered: nothing was shown
  refused,      // the sharing policy refuses what was asked (with its reason)
  unavailable,  // a server the viewer depends on (the sharing service) did not answer, or cannot now
};
const char* error_kind_id(ErrorKind kind);  // "input", "policy-file", "audit", "refused", "unavailable"

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// A record input cannot be read at all; smaller problems are Record::load_issues().
class InputError : public Error {
 public:
  explicit InputError(const std::string& what) : Error(ErrorKind::input, what) {}
};

// A deployment's data file is not valid: it is refused whole, never half-applied.
class PolicyFileError : public Error {
 public:
  explicit PolicyFileError(const std::string& what) : Error(ErrorKind::policy_file, what) {}
};

// The audit trail could not take an event: audit failure fails closed.
class AuditError : public Error {
 public:
  explicit AuditError(const std::string& what) : Error(ErrorKind::audit, what) {}
};

// The sharing policy says no: an override this role may not make, consent
// for someone else's record, a reason it does not list.
class Refused : public Error {
 public:
  explicit Refused(const std::string& what) : Error(ErrorKind::refused, what) {}
};

// The sharing service could not be reached, or said it cannot answer now
// (its store or audit trail is down): nothing new is shown; try again.
class Unavailable : public Error {
 public:
  explicit Unavailable(const std::string& what) : Error(ErrorKind::unavailable, what) {}
};

}  // namespace ilinks
