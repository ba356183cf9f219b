// rows.h: what the store keeps, to and from its tables' rows. Each *_columns
// constant is the SELECT list its read_* function reads, in order.
#pragma once
#include <string>

#include "ilinks/store.h"
#include "sql.h"

namespace ilinks::sql {

const char* opt_out_scope_id(OptOut::Scope scope);  // "whole-record", "segment", ...
OptOut::Scope opt_out_scope_from_id(const std::string& id);  // throws Failure when unknown
Consent::Scope consent_scope_from(const std::string& id);    // throws Failure when unknown

extern const char* const kConsentColumns;
StoredConsent read_consent(const Row& row);

extern const char* const kOptOutColumns;
StoredOptOut read_opt_out(const Row& row);

extern const char* const kOverrideColumns;
Override read_override(const Row& row);

extern const char* const kCaseAccessColumns;
CaseAccess read_case_access(const Row& row);

// An audit event from its kept line (`sequence` for the words when it cannot be read).
AuditEvent read_audit_line(const std::string& line, const std::string& sequence);

extern const char* const kAlertColumns;
StoredAlert read_alert(const Row& row);

extern const char* const kAdtColumns;
StoredAdt read_adt(const Row& row);

extern const char* const kExplanationColumns;
PendingExplanation read_explanation(const Row& row);

}  // namespace ilinks::sql
