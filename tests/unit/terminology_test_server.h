// The terminology test server (tests/fetch/terminology_test_server.mjs) as a
// child process, for tests that expand value sets over HTTP from loopback.
#pragma once
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ilinks/terminology.h"

namespace test {

// The NHS "sexually transmitted disease" exclusion refset the server expands.
inline const char* const kStdRefset = "http://snomed.info/sct?fhir_vs=refset/999004381000000103";
inline std::string std_refset_csv() {
  return std::string(ILINKS_SHARED_DATA) + "/codelists/nhs-refset-999004381000000103-sexually-transmitted-disease.csv";
}

// A directory of its own under the system's temporary directory, removed
// with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ilinks-terminology-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The test server as a child process, for as long as the object lives. It
// logs each request it is sent ("GET /ok/ValueSet/$expand?... Bearer x").
class TerminologyTestServer {
 public:
  TerminologyTestServer() {
    log_ = log_dir_.path() + "/requests.log";
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      std::string script = std::string(ILINKS_SOURCE_DIR) + "/tests/fetch/terminology_test_server.mjs";
      std::string csv = std_refset_csv();
      execlp("node", "node", script.c_str(), csv.c_str(), log_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[128] = {};
    bool started = std::fgets(line, sizeof line, out) != nullptr;
    std::fclose(out);
    if (!started) stop();
    REQUIRE_MESSAGE(started, "the terminology test server did not start (is node installed?)");
    url_ = line;
    while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
  }
  ~TerminologyTestServer() { stop(); }
  TerminologyTestServer(const TerminologyTestServer&) = delete;
  TerminologyTestServer& operator=(const TerminologyTestServer&) = delete;

  // The server under one of its routes ("ok", "slow", ...), quick to give up.
  ilinks::TerminologyServer at(const std::string& route, const std::string& cache_dir = "") const {
    ilinks::TerminologyServer s;
    s.base_url = url_ + "/" + route;
    s.backoff_ms = 10;
    s.timeout_ms = 2000;
    s.cache_dir = cache_dir;
    return s;
  }
  const std::string& url() const { return url_; }

  // The requests it has been sent so far, in order.
  std::vector<std::string> requests() const {
    std::vector<std::string> lines;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  TempDir log_dir_;
  std::string log_;
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace test
