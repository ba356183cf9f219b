// ilinks-audit: checks an audit log for tampering, and exports it as FHIR.
//
//   ilinks-audit verify FILE      exit 0 when the chain is intact; 1 naming the
//                                 first bad event; 2 bad usage or unreadable file
//   ilinks-audit fhir FILE        one FHIR R4 AuditEvent per line (IHE BALP), and
//                                 a Communication to the privacy officer after
//                                 each event that raised an alert
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "ilinks/audit.h"
#include "ilinks/fhir.h"

namespace {
int usage() {
  std::fprintf(stderr, "usage: ilinks-audit verify FILE\n       ilinks-audit fhir FILE\n");
  return 2;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return usage();
  std::string command = argv[1], path = argv[2];
  if (command == "verify") {
    ilinks::AuditVerification v = ilinks::verify_audit_log(path);
    if (v.intact) {
      std::printf("%s: intact, %llu events, last hash %s\n", path.c_str(), static_cast<unsigned long long>(v.events), v.last_hash.c_str());
      return 0;
    }
    std::fprintf(stderr, "%s: %s\n", path.c_str(), v.problem.c_str());
    return v.first_bad ? 1 : 2;
  }
  if (command == "fhir") {
    ilinks::AuditVerification v = ilinks::verify_audit_log(path);
    if (!v.intact) {
      std::fprintf(stderr, "%s: %s; not exported\n", path.c_str(), v.problem.c_str());
      return v.first_bad ? 1 : 2;
    }
    std::ifstream in(path, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      ilinks::AuditEvent e = ilinks::AuditEvent::from_json(line);
      std::cout << ilinks::to_fhir_audit_event(e) << '\n';
      if (!e.alerts.empty()) std::cout << ilinks::to_fhir_alert(e) << '\n';
    }
    return 0;
  }
  return usage();
}
