// The FHIR test server (tests/fetch/fhir_test_server.mjs) as a child process,
// for tests that fetch over HTTP from loopback.
#pragma once
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "ilinks/fhir_client.h"

namespace test {

// The test server as a child process, for as long as the object lives.
class FhirTestServer {
 public:
  FhirTestServer() {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      std::string script = std::string(ILINKS_SOURCE_DIR) + "/tests/fetch/fhir_test_server.mjs";
      execlp("node", "node", script.c_str(), ILINKS_DEMO_PATIENTS, static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[128] = {};
    REQUIRE_MESSAGE(std::fgets(line, sizeof line, out), "the FHIR test server did not start (is node installed?)");
    std::fclose(out);
    url_ = line;
    while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
  }
  ~FhirTestServer() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  ilinks::FhirServer at(const std::string& route, const std::string& token = "good-token") const {
    ilinks::FhirServer s;
    s.base_url = url_ + "/" + route;
    s.bearer_token = token;
    s.backoff_ms = 10;
    s.timeout_ms = 2000;
    return s;
  }
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace test
