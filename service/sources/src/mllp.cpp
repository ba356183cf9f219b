// HL7 v2 over MLLP: the listener hospital integration engines send ADT
// feeds to, and mllp_send for the tests and the demo.
//
// POSIX sockets, one thread accepting and one thread per connection: a
// trust's engine keeps a handful of long-lived connections open, so threads
// are simple and cheap here, and a slow handler on one feed never holds up
// another. Every wait is a poll() that also watches a pipe stop() writes to,
// so stop() wakes every thread at once and joins them promptly.
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "hl7_ack.h"
#include "ilinks/sources.h"

namespace ilinks {
namespace {

using Clock = std::chrono::steady_clock;
using detail::AckCode;

constexpr char kStartBlock = 0x0B, kEndBlock = 0x1C, kCarriageReturn = 0x0D;

std::string framed(const std::string& message) { return kStartBlock + message + kEndBlock + kCarriageReturn; }

long ms_left(Clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  return left < 0 ? 0 : static_cast<long>(left);
}

int poll_ms(long ms) { return ms > 1000000 ? 1000000 : static_cast<int>(ms); }

// Sends all of `bytes`; false when the peer has gone (no SIGPIPE).
bool send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string where(const std::string& address, int port) { return (address.empty() ? "*" : address) + ":" + std::to_string(port); }

// getaddrinfo for a TCP address, or an InputError in words.
addrinfo* resolve(const std::string& address, int port, bool passive, const std::string& doing) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  addrinfo* found = nullptr;
  int rc = getaddrinfo(address.empty() ? nullptr : address.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) throw InputError(doing + " " + where(address, port) + ": the address could not be resolved (" + gai_strerror(rc) + ")");
  return found;
}

}  // namespace

struct MllpListener::Impl {
  struct Connection {
    int fd = -1;  // set to -1, under `mutex`, when the connection's thread closes it
    std::thread thread;
    std::atomic<bool> finished{false};
  };

  std::string address;
  int port = 0;
  Handler handler;
  size_t max_message_bytes = 0;
  long idle_timeout_ms = 60000;
  size_t max_connections = 32;

  int listen_fd = -1;
  int wake[2] = {-1, -1};  // stop() writes to wake[1]; every poll() watches wake[0]
  int bound_port = 0;
  std::thread acceptor;
  std::mutex mutex;
  std::list<std::unique_ptr<Connection>> connections;
  bool started = false;

  void accept_loop();
  void serve(Connection& c);
  // Answers a message that was read whole.
  std::string answer(const std::string& message);
  // After a NAK that ends the connection: no more writing, and whatever the
  // peer still sends is read and dropped for a moment, so that closing does
  // not reset the connection before the peer has read the NAK.
  void close_after_nak(int fd);
  void close_connection(Connection& c);
  // Joins the connections whose threads have ended.
  void reap();
  // Waits for `fd` to be readable (ms < 0: for as long as it takes): 1
  // readable, 0 timed out, -1 stopping.
  int wait_readable(int fd, long ms);
};

int MllpListener::Impl::wait_readable(int fd, long ms) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake[0], POLLIN, 0}};
  Clock::time_point until = Clock::now() + std::chrono::milliseconds(ms < 0 ? 0 : ms);
  while (true) {
    int rc = ::poll(fds, 2, ms < 0 ? -1 : poll_ms(ms_left(until)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || fds[1].revents) return -1;
    return rc == 0 ? 0 : 1;
  }
}

std::string MllpListener::Impl::answer(const std::string& message) {
  detail::MessageHeader header = detail::read_message_header(message);
  if (!header.readable) return detail::build_ack(header, AckCode::reject, "MSH segment missing or unreadable", 100);
  MllpVerdict verdict;
  try {
    verdict = handler(message);
  } catch (const std::exception& e) {
    verdict = {std::string("the service could not keep the message: ") + e.what(), false};
  } catch (...) {
    verdict = {"the service could not keep the message", false};
  }
  if (verdict.error.empty()) return detail::build_ack(header, AckCode::accept);
  return detail::build_ack(header, verdict.reject ? AckCode::reject : AckCode::error, verdict.error);
}

void MllpListener::Impl::close_after_nak(int fd) {
  ::shutdown(fd, SHUT_WR);
  Clock::time_point until = Clock::now() + std::chrono::seconds(1);
  char drop[4096];
  while (wait_readable(fd, ms_left(until)) == 1)
    if (::recv(fd, drop, sizeof drop, 0) <= 0) break;
}

void MllpListener::Impl::close_connection(Connection& c) {
  std::lock_guard<std::mutex> lock(mutex);
  ::close(c.fd);
  c.fd = -1;
}

void MllpListener::Impl::serve(Connection& c) {
  const int fd = c.fd;  // only this thread closes it
  std::string message;
  bool in_frame = false, end_block_seen = false;
  auto nak = [&](const std::string& partial, const std::string& words) {
    send_all(fd, framed(detail::build_ack(detail::read_message_header(partial), AckCode::reject, words)));
    close_after_nak(fd);
    return false;
  };
  // Takes bytes as they come, in any pieces: a frame split over many reads,
  // or several frames in one. False: the connection is to be closed.
  auto take = [&](const char* bytes, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (end_block_seen) {
        if (bytes[i] != kCarriageReturn)
          return nak(message, "the frame's end block (0x1C) was not followed by a carriage return (0x0D); connection closed");
        end_block_seen = in_frame = false;
        if (!send_all(fd, framed(answer(message)))) return false;
        message.clear();
      } else if (!in_frame) {
        // A stray byte means the sender and this listener disagree about
        // where messages start: every later message would be misread.
        if (bytes[i] != kStartBlock)
          return nak("", "bytes outside an MLLP frame (a message must start with 0x0B); connection closed");
        in_frame = true;
      } else {
        // Inside a frame: everything up to the end block is the message.
        const void* end = std::memchr(bytes + i, kEndBlock, n - i);
        size_t length = end ? static_cast<size_t>(static_cast<const char*>(end) - (bytes + i)) : n - i;
        message.append(bytes + i, length);
        if (message.size() > max_message_bytes)
          return nak(message, "message longer than " + std::to_string(max_message_bytes) + " bytes; connection closed");
        i += length;  // at the end block, or past the bytes
        end_block_seen = end != nullptr;
      }
    }
    return true;
  };
  char chunk[16384];
  const long idle_ms = idle_timeout_ms > 0 ? idle_timeout_ms : -1;
  while (wait_readable(fd, idle_ms) == 1) {  // else stopping, or idle too long: closed without a word
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || !take(chunk, static_cast<size_t>(n))) break;  // the peer closed, or a NAK closes
  }
  close_connection(c);
}

void MllpListener::Impl::reap() {
  std::list<std::unique_ptr<Connection>> ended;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto it = connections.begin(); it != connections.end();)
      if ((*it)->finished) ended.splice(ended.end(), connections, it++);
      else ++it;
  }
  for (auto& c : ended) c->thread.join();
}

void MllpListener::Impl::accept_loop() {
  while (true) {
    if (wait_readable(listen_fd, -1) < 0) return;
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors (or a transient error): wait rather than spin.
      if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    reap();
    // A send to a peer that has stopped reading gives up in the end.
    timeval send_limit{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
    std::lock_guard<std::mutex> lock(mutex);
    if (connections.size() >= max_connections) {
      ::close(fd);  // refused: more feeds than this listener serves at once
      continue;
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    Connection* raw = c.get();
    try {
      raw->thread = std::thread([this, raw] {
        serve(*raw);
        raw->finished = true;
      });
    } catch (const std::system_error&) {
      ::close(fd);
      continue;
    }
    connections.push_back(std::move(c));
  }
}

MllpListener::MllpListener(std::string address, int port, Handler on_message, size_t max_message_bytes) : impl_(new Impl) {
  impl_->address = std::move(address);
  impl_->port = port;
  impl_->handler = std::move(on_message);
  impl_->max_message_bytes = max_message_bytes;
}

MllpListener::~MllpListener() {
  stop();
  delete impl_;
}

void MllpListener::set_idle_timeout_ms(long ms) { impl_->idle_timeout_ms = ms; }
void MllpListener::set_max_connections(size_t n) { impl_->max_connections = n; }

void MllpListener::start() {
  Impl& m = *impl_;
  const std::string doing = "could not listen for HL7 v2 (MLLP) on";
  if (m.started) throw InputError("the HL7 v2 (MLLP) listener on " + where(m.address, m.bound_port) + " is already listening");
  if (!m.handler) throw InputError("the HL7 v2 (MLLP) listener has no handler for its messages");
  addrinfo* found = resolve(m.address, m.port, true, doing);
  std::string last_error = "no address to bind";
  for (addrinfo* a = found; a && m.listen_fd < 0; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) { last_error = std::strerror(errno); continue; }
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
      last_error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    m.listen_fd = fd;
  }
  freeaddrinfo(found);
  if (m.listen_fd < 0) throw InputError(doing + " " + where(m.address, m.port) + ": " + last_error);
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(m.listen_fd, reinterpret_cast<sockaddr*>(&bound), &length);
  m.bound_port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                    : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (::pipe2(m.wake, O_CLOEXEC) != 0) {
    ::close(m.listen_fd);
    m.listen_fd = -1;
    throw InputError(doing + " " + where(m.address, m.port) + ": " + std::strerror(errno));
  }
  m.acceptor = std::thread([&m] { m.accept_loop(); });
  m.started = true;
}

void MllpListener::stop() {
  Impl& m = *impl_;
  if (!m.started) return;
  // The pipe is never read: once written, every poll() sees it, for good.
  while (::write(m.wake[1], "x", 1) < 0 && errno == EINTR) {
  }
  {
    // A thread blocked sending to a peer that does not read wakes too.
    std::lock_guard<std::mutex> lock(m.mutex);
    for (auto& c : m.connections)
      if (c->fd >= 0) ::shutdown(c->fd, SHUT_RDWR);
  }
  m.acceptor.join();
  for (auto& c : m.connections) c->thread.join();  // the acceptor has ended: the list is ours
  m.connections.clear();
  ::close(m.listen_fd);
  ::close(m.wake[0]);
  ::close(m.wake[1]);
  m.listen_fd = m.wake[0] = m.wake[1] = -1;
  m.started = false;
}

int MllpListener::port() const { return impl_->bound_port; }

std::string mllp_send(const std::string& address, int port, const std::string& message, long timeout_ms) {
  const std::string peer = "the HL7 v2 (MLLP) listener at " + where(address, port);
  Clock::time_point until = Clock::now() + std::chrono::milliseconds(timeout_ms);
  addrinfo* found = resolve(address, port, false, "could not send to the HL7 v2 (MLLP) listener at");
  int fd = -1;
  std::string last_error = "no address";
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) { last_error = std::strerror(errno); continue; }
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int error = ETIMEDOUT;
      socklen_t length = sizeof error;
      if (::poll(&p, 1, poll_ms(ms_left(until))) == 1) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
      rc = error == 0 ? 0 : -1;
      errno = error;
    }
    if (rc != 0) {
      last_error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) throw InputError("could not connect to " + peer + ": " + last_error);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  long send_ms = std::max(ms_left(until), 1L);
  timeval send_limit{send_ms / 1000, static_cast<suseconds_t>((send_ms % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
  std::string reply;
  std::string failure;
  if (!send_all(fd, framed(message))) failure = "the connection was closed while sending: " + std::string(std::strerror(errno));
  while (failure.empty()) {
    size_t start = reply.find(kStartBlock);
    size_t end = start == std::string::npos ? std::string::npos : reply.find(std::string{kEndBlock, kCarriageReturn}, start);
    if (end != std::string::npos) {
      ::close(fd);
      return reply.substr(start + 1, end - start - 1);
    }
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, poll_ms(ms_left(until)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      failure = "no answer within " + std::to_string(timeout_ms) + " ms";
      break;
    }
    char chunk[16384];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failure = "it closed the connection without answering";
    else if (reply.size() + static_cast<size_t>(n) > (size_t{16} << 20)) failure = "its answer is longer than 16 MB";
    else reply.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  throw InputError(peer + ": " + failure);
}

}  // namespace ilinks
