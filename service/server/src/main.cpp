// ilinks-service: the sharing service.
//
//   ilinks-service serve  --config service.json   listens until SIGINT or SIGTERM
//   ilinks-service check  --config service.json   reads the file whole, opens the store, says what is wrong
//   ilinks-service export-audit --config service.json --out audit.jsonl
//                                                 the whole audit chain, for ilinks-audit verify
//
// Once listening it prints one line per listener ("listening on
// http://127.0.0.1:8443", "mllp on 127.0.0.1:2575"), which scripts and tests read.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "service.h"

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "ilinks-service: %s\n"
               "usage: ilinks-service serve --config FILE\n"
               "       ilinks-service check --config FILE\n"
               "       ilinks-service export-audit --config FILE --out FILE\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("say what to do");
  std::string command = argv[1], config_path, out_path;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) config_path = argv[++i];
    else if (a == "--out" && i + 1 < argc) out_path = argv[++i];
    else return usage(("unknown argument " + a).c_str());
  }
  if (config_path.empty()) return usage("--config is required");
  try {
    ilinks::ServiceConfig config = ilinks::read_service_config(config_path);
    if (command == "check") {
      ilinks::SharingService service(config);
      service.store().check();
      std::printf("%s: good (store %s, policy %s, %zu organisations)\n", config_path.c_str(), service.store().kind().c_str(),
                  service.policy().version().c_str(), config.organisations.size());
      return 0;
    }
    if (command == "export-audit") {
      if (out_path.empty()) return usage("export-audit needs --out FILE");
      ilinks::SharingService service(config);
      service.store().export_audit(out_path);
      std::printf("%s: %llu events\n", out_path.c_str(), static_cast<unsigned long long>(service.store().audit_head_sequence()));
      return 0;
    }
    if (command != "serve") return usage(("unknown command " + command).c_str());

    // Signals are taken by this thread alone (sigwait), never mid-request.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    ilinks::SharingService service(config);
    service.start();
    std::printf("listening on %s://%s:%d\n", config.tls_certificate_path.empty() ? "http" : "https", config.listen_address.c_str(),
                service.port());
    if (service.mllp_port()) std::printf("mllp on %s:%d\n", config.mllp_address.c_str(), service.mllp_port());
    std::fflush(stdout);
    int signal = 0;
    sigwait(&signals, &signal);
    std::fprintf(stderr, "ilinks-service: stopping (%s)\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
    service.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ilinks-service: %s\n", e.what());
    return 1;
  }
}
