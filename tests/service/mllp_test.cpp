// Hospital ADT feeds over HL7 v2 MLLP: what an integration engine sending to
// the service sees. Each message is acknowledged from its own MSH (AA when
// kept, AE or AR with the reason in words); broken framing is answered with
// a NAK and the connection closed; stop() never waits for a sender.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ilinks/sources.h"

using namespace ilinks;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A file of HL7 v2 as stored (segments end in LF), with the CR endings the
// wire uses.
std::string hl7_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  REQUIRE_MESSAGE(!text.empty(), "cannot read " << path);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i] == '\n' ? '\r' : text[i];
  }
  return out;
}

// The messages in a file, each starting at its MSH.
std::vector<std::string> messages_in(const std::string& text) {
  std::vector<std::string> out;
  for (size_t at = text.find("MSH|"); at != std::string::npos;) {
    size_t next = text.find("\rMSH|", at);
    out.push_back(text.substr(at, next == std::string::npos ? std::string::npos : next + 1 - at));
    at = next == std::string::npos ? next : next + 1;
  }
  return out;
}

std::string adt_a01() { return hl7_file(std::string(ILINKS_SHARED_DATA) + "/hl7v2-adt/ADT-A01-01.hl7"); }
std::vector<std::string> david_a01_a02() {
  return messages_in(hl7_file(std::string(ILINKS_DEMO_PATIENTS) + "/adt/david-okafor-a01-a02.hl7"));
}

// Field n of the first `name` segment of an ACK, as HL7 numbers them.
std::string field(const std::string& ack, const std::string& name, size_t n) {
  std::istringstream segments(ack);
  std::string segment;
  while (std::getline(segments, segment, '\r')) {
    if (segment.rfind(name + "|", 0) != 0) continue;
    std::vector<std::string> fields;
    std::istringstream parts(segment);
    for (std::string f; std::getline(parts, f, '|');) fields.push_back(f);
    if (name == "MSH") fields.insert(fields.begin() + 1, "|");
    return n < fields.size() ? fields[n] : "";
  }
  return "(no " + name + " segment)";
}

std::string frame(const std::string& message) { return "\x0B" + message + "\x1C\x0D"; }

// A sender speaking raw TCP, for the things a well-behaved sender never does.
class RawSender {
 public:
  explicit RawSender(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    int yes = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // small writes go as small segments
  }
  ~RawSender() { close(fd_); }
  void send_bytes(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  }
  // The next reply frame, unframed; "" when none came in time or the connection closed.
  std::string reply(long timeout_ms = 3000) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      size_t start = buffer_.find('\x0B'), end = buffer_.find("\x1C\x0D");
      if (start != std::string::npos && end != std::string::npos && end > start) {
        std::string message = buffer_.substr(start + 1, end - start - 1);
        buffer_.erase(0, end + 2);
        return message;
      }
      if (!read_some(until)) return "";
    }
  }
  // True when the listener closes the connection within the time.
  bool closed(long timeout_ms = 3000) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (read_some(until)) {
    }
    return closed_;
  }

 private:
  bool read_some(std::chrono::steady_clock::time_point until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) != 1) return false;
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

// A listener on a free loopback port that keeps what it is sent.
struct Feed {
  std::mutex mutex;
  std::vector<std::string> received;
  MllpVerdict verdict;
  MllpListener listener;
  explicit Feed(size_t max_bytes = 1 << 20)
      : listener("127.0.0.1", 0, [this](const std::string& m) {
          std::lock_guard<std::mutex> lock(mutex);
          received.push_back(m);
          return verdict;
        }, max_bytes) {}
  size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return received.size();
  }
};

}  // namespace

TEST_SUITE("HL7 v2 ADT feeds over MLLP") {
  TEST_CASE("an admission (ADT A01) is kept and acknowledged: AA with its control id, sender and receiver swapped") {
    Feed feed;
    feed.listener.start();
    REQUIRE(feed.listener.port() > 0);
    std::string a01 = adt_a01();
    std::string ack = mllp_send("127.0.0.1", feed.listener.port(), a01);
    REQUIRE(feed.count() == 1);
    CHECK(feed.received[0] == a01);  // handed over as sent
    CHECK(field(ack, "MSA", 1) == "AA");
    CHECK(field(ack, "MSA", 2) == "MSG00001");
    CHECK(field(ack, "MSH", 2) == "^~\\&");
    CHECK(field(ack, "MSH", 3) == "EHRApp^1.Edu^ISO");  // the message's receiving application
    CHECK(field(ack, "MSH", 4) == "GHHRFacility^2.16.840.1.1122848.1.32^ISO");
    CHECK(field(ack, "MSH", 5) == "ADTApp");
    CHECK(field(ack, "MSH", 6) == "GHHSFacility^2.16.840.1.122848.1.30^ISO");
    CHECK(field(ack, "MSH", 9).rfind("ACK^A01", 0) == 0);
    CHECK_FALSE(field(ack, "MSH", 10).empty());
    CHECK(field(ack, "MSH", 10) != "MSG00001");  // the ACK's own control id
    CHECK(field(ack, "MSH", 12) == "2.8");
    CHECK(field(ack, "ERR", 0) == "(no ERR segment)");
  }

  TEST_CASE("each acknowledgement has a control id of its own") {
    Feed feed;
    feed.listener.start();
    std::string a01 = adt_a01();
    std::string first = mllp_send("127.0.0.1", feed.listener.port(), a01);
    std::string second = mllp_send("127.0.0.1", feed.listener.port(), a01);
    CHECK(field(first, "MSH", 10) != field(second, "MSH", 10));
  }

  TEST_CASE("the service's refusal comes back as AE, its words in ERR with HL7's separators escaped") {
    Feed feed;
    feed.verdict = {"NHS number fails the check | not kept & not shown", false};
    feed.listener.start();
    std::string ack = mllp_send("127.0.0.1", feed.listener.port(), david_a01_a02().at(0));
    CHECK(field(ack, "MSA", 1) == "AE");
    CHECK(field(ack, "MSA", 2) == "REM0001");
    CHECK(has(field(ack, "ERR", 8), "NHS number fails the check \\F\\ not kept \\T\\ not shown"));
    CHECK(field(ack, "MSH", 9) == "ACK^A01^ACK");
    CHECK(field(ack, "MSH", 12) == "2.4");

    feed.verdict.reject = true;  // refused for good: the sender must not send it again
    ack = mllp_send("127.0.0.1", feed.listener.port(), david_a01_a02().at(1));
    CHECK(field(ack, "MSA", 1) == "AR");
    CHECK(field(ack, "MSA", 2) == "REM0002");
  }

  TEST_CASE("a v2.7+ message with a truncation character in MSH-2 is acknowledged in its own separators") {
    Feed feed;
    feed.verdict = {"a ^ b # c", false};
    feed.listener.start();
    std::string a01 = david_a01_a02().at(0);
    a01.replace(0, 8, "MSH|^~\\&#");
    std::string ack = mllp_send("127.0.0.1", feed.listener.port(), a01);
    CHECK(ack.rfind("MSH|^~\\&#|ILINKS|NORTHMERSEY|PAS|REM|", 0) == 0);
    CHECK(field(ack, "MSA", 2) == "REM0001");
    CHECK(has(field(ack, "ERR", 8), "a \\S\\ b \\P\\ c"));
  }

  TEST_CASE("a message whose MSH cannot be read is rejected (AR) without reaching the service") {
    Feed feed;
    feed.listener.start();
    for (const std::string& bad : {std::string("PID|1||9990000441^^^NHS^NH\r"), std::string("MSH"), std::string("")}) {
      CAPTURE(bad);
      std::string ack = mllp_send("127.0.0.1", feed.listener.port(), bad);
      CHECK(field(ack, "MSA", 1) == "AR");
      CHECK(has(field(ack, "ERR", 8), "MSH segment missing or unreadable"));
    }
    CHECK(feed.count() == 0);
  }

  TEST_CASE("bytes before the frame's start: NAK, and the connection is closed") {
    Feed feed;
    feed.listener.start();
    RawSender sender(feed.listener.port());
    sender.send_bytes("hello\r\n" + frame(david_a01_a02().at(0)));
    std::string nak = sender.reply();
    CHECK(field(nak, "MSA", 1) == "AR");
    CHECK(has(field(nak, "ERR", 8), "bytes outside an MLLP frame"));
    CHECK(sender.closed());
    CHECK(feed.count() == 0);
  }

  TEST_CASE("a frame over the size limit: AR naming the limit and the message's control id, and the connection closed") {
    Feed feed(1000);
    feed.listener.start();
    RawSender sender(feed.listener.port());
    std::string big = david_a01_a02().at(0) + "NTE|1||" + std::string(5000, 'x') + "\r";
    sender.send_bytes(frame(big));
    std::string nak = sender.reply();
    CHECK(field(nak, "MSA", 1) == "AR");
    CHECK(field(nak, "MSA", 2) == "REM0001");
    CHECK(has(field(nak, "ERR", 8), "message longer than 1000 bytes"));
    CHECK(sender.closed());
    CHECK(feed.count() == 0);
  }

  TEST_CASE("two messages on one connection, sent in one write, each get their own ACK, in order") {
    Feed feed;
    feed.listener.start();
    RawSender sender(feed.listener.port());
    auto messages = david_a01_a02();
    REQUIRE(messages.size() == 2);
    sender.send_bytes(frame(messages[0]) + frame(messages[1]));
    CHECK(field(sender.reply(), "MSA", 2) == "REM0001");
    CHECK(field(sender.reply(), "MSA", 2) == "REM0002");
    CHECK(feed.count() == 2);
    CHECK_FALSE(sender.closed(200));  // the connection stays open for more
  }

  TEST_CASE("a message split across many small writes arrives whole") {
    Feed feed;
    feed.listener.start();
    RawSender sender(feed.listener.port());
    std::string bytes = frame(adt_a01());
    for (size_t at = 0, piece = 1; at < bytes.size(); at += piece, piece = piece % 7 + 1) {
      sender.send_bytes(bytes.substr(at, piece));
      if (at % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK(field(sender.reply(), "MSA", 1) == "AA");
    REQUIRE(feed.count() == 1);
    CHECK(feed.received[0] == adt_a01());
  }

  TEST_CASE("stop() while a sender is connected, mid-message, returns promptly and closes the connection") {
    Feed feed;
    feed.listener.start();
    RawSender sender(feed.listener.port());
    sender.send_bytes("\x0BMSH|^~\\&|PAS|REM|ILINKS");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto start = std::chrono::steady_clock::now();
    feed.listener.stop();
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.0);
    CHECK(sender.closed(1000));
    CHECK(feed.count() == 0);
    feed.listener.stop();  // again: nothing to do
  }

  TEST_CASE("a connection with nothing sent for the idle time is closed") {
    Feed feed;
    feed.listener.set_idle_timeout_ms(200);
    feed.listener.start();
    RawSender sender(feed.listener.port());
    CHECK(sender.closed(3000));
  }

  TEST_CASE("more senders than the listener serves at once: the extra one is closed, the others still answered") {
    Feed feed;
    feed.listener.set_max_connections(2);
    feed.listener.start();
    RawSender first(feed.listener.port()), second(feed.listener.port());
    first.send_bytes(frame(david_a01_a02().at(0)));  // both surely accepted before the third
    second.send_bytes(frame(david_a01_a02().at(1)));
    CHECK(field(first.reply(), "MSA", 1) == "AA");
    CHECK(field(second.reply(), "MSA", 1) == "AA");
    RawSender third(feed.listener.port());
    CHECK(third.closed(2000));
    first.send_bytes(frame(david_a01_a02().at(1)));
    CHECK(field(first.reply(), "MSA", 1) == "AA");
  }

  TEST_CASE("a port already in use cannot be listened on: an InputError in words") {
    Feed taken;
    taken.listener.start();
    MllpListener second("127.0.0.1", taken.listener.port(), [](const std::string&) { return MllpVerdict{}; });
    CHECK_THROWS_WITH_AS(second.start(), doctest::Contains("could not listen for HL7 v2 (MLLP) on 127.0.0.1:"), InputError);
  }

  TEST_CASE("mllp_send says when the listener cannot be reached or does not answer in time") {
    MllpListener slow("127.0.0.1", 0, [](const std::string&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      return MllpVerdict{};
    });
    slow.start();
    CHECK_THROWS_WITH_AS(mllp_send("127.0.0.1", slow.port(), adt_a01(), 200), doctest::Contains("no answer within 200 ms"),
                         InputError);
    int port = slow.port();
    slow.stop();
    CHECK_THROWS_WITH_AS(mllp_send("127.0.0.1", port, adt_a01(), 1000), doctest::Contains("could not connect"), InputError);
  }
}
