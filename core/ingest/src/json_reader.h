// The streaming FHIR reader's JSON reader: strict JSON (RFC 8259) read into
// SAX events, exactly as nlohmann's sax_parse reads it (the same events, the
// same refusals, at the same byte, in the same words), at several times its
// speed. Issue 18 measured nlohmann's lexer alone at 265-306 MB/s natively
// and 150-160 in WebAssembly: half of the whole ingest budget, spent mostly
// reading one character at a time through its input adapter and copying each
// string character by character. Here a string without escapes is handed
// over as a view into the text, found eight bytes at a time, and everything
// unusual (escapes, other alphabets, damage, the end of a stretch of text) is
// read one character at a time in nlohmann's own order, so its error
// positions are kept. nlohmann stays the JSON library everywhere else; the
// tests hold this reader to its events (json_reader_test.cpp, and a fuzz target).
//
// Handler: null(), boolean(bool), number_integer(int64_t),
// number_unsigned(uint64_t), number_float(double, const std::string& written),
// string(string_view, bool in_text), key(string_view, bool in_text),
// start_object(), end_object(), start_array(), end_array(), each returning
// false to stop; parse_error(size_t position, std::string why). `in_text`:
// the view points into the text read (valid while the text is), else into
// the reader's buffer (valid until the next event). `position` counts the
// characters read, the one that failed included, as nlohmann counts them
// (the end of the text counts as one).
#pragma once
#include <algorithm>
#include <cerrno>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ilinks::detail {

// Where the text goes on when the reader comes to a stop: the reader asks
// `reached` before reading the character at a stop, and reads on from where
// it answers (the same place, or further: the bytes between are skipped and
// counted in `shift`), with `at` set to the next stop (nullptr: none). The
// stretch between two stops lies in one buffer.
struct JsonStops {
  std::ptrdiff_t shift = 0;
  std::function<const char*(const char* p, const char*& at)> reached;
};

template <class Handler>
class JsonReader {
 public:
  // Reads [begin, end), with a first stop at `first_stop` (none without `stops` to ask).
  JsonReader(const char* begin, const char* end, Handler& handler, const char* first_stop = nullptr, JsonStops* stops = nullptr)
      : p_(begin), end_(end), stop_(first_stop && stops ? first_stop : end), limit_(stop_), segment_(begin), stops_(stops),
        h_(handler) {}

  // One value and nothing after it but whitespace; false (after parse_error) when not.
  bool parse() {
    next();
    if (!parse_value_tree()) return false;
    if (next() != Token::end_of_input) return fail(Token::end_of_input, "value", token_);
    return true;
  }

 private:
  enum class Token : uint8_t {
    begin_array, end_array, begin_object, end_object, name_separator, value_separator, literal_true, literal_false,
    literal_null, value_string, value_unsigned, value_integer, value_float, parse_error, end_of_input, literal_or_value, none
  };
  static constexpr int kEnd = -1;

  // ---- Characters -----------------------------------------------------------------
  int get() {
    if (p_ != limit_ || more()) return static_cast<unsigned char>(*p_++);
    ++end_reads_;
    return kEnd;
  }
  void unget() {
    if (end_reads_) --end_reads_;
    else --p_;
  }
  // At the end of a stretch: asks where to go on, as nlohmann's input iterator does.
  bool more() {
    while (p_ == stop_ && p_ != end_) {
      const char* at = nullptr;
      const char* next = stops_->reached(p_, at);
      if (next != p_) {
        before_segment_ += p_ - segment_;
        segment_ = next;
        p_ = next;
      }
      stop_ = at ? at : end_;
    }
    limit_ = stop_;
    return p_ != end_;
  }
  size_t position() const { return static_cast<size_t>(before_segment_ + (p_ - segment_)) + end_reads_; }

  // ---- Tokens (nlohmann's lexer::scan) ---------------------------------------------
  Token scan() {
    if (!started_) {
      started_ = true;
      if (get() == 0xEF) {
        if (!(get() == 0xBB && get() == 0xBF)) return lexer_error("invalid BOM; must be 0xEF 0xBB 0xBF if given");
      } else {
        unget();
      }
    }
    int c;
    do c = get();
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
    switch (c) {
      case '[': return Token::begin_array;
      case ']': return Token::end_array;
      case '{': return Token::begin_object;
      case '}': return Token::end_object;
      case ':': return Token::name_separator;
      case ',': return Token::value_separator;
      case 't': return scan_literal("true", Token::literal_true);
      case 'f': return scan_literal("false", Token::literal_false);
      case 'n': return scan_literal("null", Token::literal_null);
      case '"': return scan_string();
      case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        return scan_number(c);
      case 0: case kEnd: return Token::end_of_input;  // nlohmann reads a NUL as the end
      default: return lexer_error("invalid literal");
    }
  }
  Token lexer_error(const char* why) {
    lexer_error_ = why;
    return Token::parse_error;
  }
  Token scan_literal(const char* literal, Token token) {
    for (size_t i = 1; literal[i]; ++i)
      if (get() != literal[i]) return lexer_error("invalid literal");
    return token;
  }

  // ---- Strings -----------------------------------------------------------------------
  static constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  // Whether any of eight bytes is '"', '\\', a control character or not ASCII
  // (a false alarm only ever after a true one, which the byte loop then finds).
  static bool plain_run_ends_in(uint64_t v) {
    auto zero_in = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
    return ((v & kHighs) | zero_in(v ^ (kOnes * '"')) | zero_in(v ^ (kOnes * '\\')) | ((v - kOnes * 0x20) & ~v & kHighs)) != 0;
  }
  // The length of the valid UTF-8 character at `q` lying wholly before `limit`
  // (nlohmann's ranges: no overlongs, surrogates or code points past U+10FFFF), or 0.
  static size_t utf8_length(const unsigned char* q, const unsigned char* limit) {
    auto in = [&](size_t k, unsigned lo, unsigned hi) { return q + k < limit && q[k] >= lo && q[k] <= hi; };
    unsigned c = q[0];
    if (c >= 0xC2 && c <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      return in(1, lo, hi) && in(2, 0x80, 0xBF) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      return in(1, lo, hi) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
  }
  // From p_: plain characters up to the closing quote or anything else, within this stretch.
  const char* plain_run() const {
    const char* q = p_;
    for (;;) {
      while (limit_ - q >= 8) {
        uint64_t v;
        std::memcpy(&v, q, 8);
        if (plain_run_ends_in(v)) break;
        q += 8;
      }
      if (q == limit_) return q;
      unsigned char c = static_cast<unsigned char>(*q);
      if (c == '"' || c == '\\' || c < 0x20) return q;
      if (c < 0x80) {
        ++q;
        continue;
      }
      size_t n = utf8_length(reinterpret_cast<const unsigned char*>(q), reinterpret_cast<const unsigned char*>(limit_));
      if (!n) return q;
      q += n;
    }
  }

  Token scan_string() {
    const char* start = p_;
    const char* q = plain_run();
    if (q != limit_ && *q == '"') {  // the usual case: no escapes, all in this stretch
      p_ = q + 1;
      text_ = std::string_view(start, static_cast<size_t>(q - start));
      text_in_input_ = true;
      return Token::value_string;
    }
    buffer_.assign(start, q);
    p_ = q;
    for (;;) {
      const char* run_end = plain_run();
      buffer_.append(p_, run_end);
      p_ = run_end;
      int c = get();
      if (c == '"') {
        text_ = buffer_;
        text_in_input_ = false;
        return Token::value_string;
      }
      if (c == kEnd) return lexer_error("invalid string: missing closing quote");
      if (c == '\\') {
        if (!escape()) return Token::parse_error;
      } else if (c < 0x20) {
        return lexer_error(control_character_error(c));
      } else if (c < 0x80) {
        buffer_ += static_cast<char>(c);
      } else if (!utf8_character(c)) {
        return Token::parse_error;
      }
    }
  }
  // After a backslash.
  bool escape() {
    switch (get()) {
      case '"': buffer_ += '"'; return true;
      case '\\': buffer_ += '\\'; return true;
      case '/': buffer_ += '/'; return true;
      case 'b': buffer_ += '\b'; return true;
      case 'f': buffer_ += '\f'; return true;
      case 'n': buffer_ += '\n'; return true;
      case 'r': buffer_ += '\r'; return true;
      case 't': buffer_ += '\t'; return true;
      case 'u': {
        int first = four_hex_digits();
        if (first < 0) return lexer_error("invalid string: '\\u' must be followed by 4 hex digits"), false;
        long code = first;
        if (first >= 0xD800 && first <= 0xDBFF) {
          if (!(get() == '\\' && get() == 'u'))
            return lexer_error("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"), false;
          int second = four_hex_digits();
          if (second < 0) return lexer_error("invalid string: '\\u' must be followed by 4 hex digits"), false;
          if (second < 0xDC00 || second > 0xDFFF)
            return lexer_error("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"), false;
          code = ((static_cast<long>(first) - 0xD800) << 10) + (second - 0xDC00) + 0x10000;
        } else if (first >= 0xDC00 && first <= 0xDFFF) {
          return lexer_error("invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF"), false;
        }
        append_utf8(code);
        return true;
      }
      default: return lexer_error("invalid string: forbidden character after backslash"), false;
    }
  }
  int four_hex_digits() {
    int code = 0;
    for (int i = 0; i < 4; ++i) {
      int c = get(), digit;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else return -1;
      code = code * 16 + digit;
    }
    return code;
  }
  void append_utf8(long code) {
    auto byte = [&](long b) { buffer_ += static_cast<char>(b); };
    if (code < 0x80) {
      byte(code);
    } else if (code <= 0x7FF) {
      byte(0xC0 | (code >> 6)), byte(0x80 | (code & 0x3F));
    } else if (code <= 0xFFFF) {
      byte(0xE0 | (code >> 12)), byte(0x80 | ((code >> 6) & 0x3F)), byte(0x80 | (code & 0x3F));
    } else {
      byte(0xF0 | (code >> 18)), byte(0x80 | ((code >> 12) & 0x3F)), byte(0x80 | ((code >> 6) & 0x3F)), byte(0x80 | (code & 0x3F));
    }
  }
  // A character of other alphabets, read byte by byte (it is damaged, or
  // crosses the end of a stretch): nlohmann's ranges, in its order.
  bool utf8_character(int lead) {
    unsigned lo1 = 0x80, hi1 = 0xBF;
    int continuation = 0;
    if (lead >= 0xC2 && lead <= 0xDF) continuation = 1;
    else if (lead >= 0xE0 && lead <= 0xEF) continuation = 2, lo1 = lead == 0xE0 ? 0xA0 : 0x80, hi1 = lead == 0xED ? 0x9F : 0xBF;
    else if (lead >= 0xF0 && lead <= 0xF4) continuation = 3, lo1 = lead == 0xF0 ? 0x90 : 0x80, hi1 = lead == 0xF4 ? 0x8F : 0xBF;
    else return lexer_error("invalid string: ill-formed UTF-8 byte"), false;
    buffer_ += static_cast<char>(lead);
    for (int k = 0; k < continuation; ++k) {
      int c = get();
      unsigned lo = k == 0 ? lo1 : 0x80, hi = k == 0 ? hi1 : 0xBF;
      if (c == kEnd || static_cast<unsigned>(c) < lo || static_cast<unsigned>(c) > hi)
        return lexer_error("invalid string: ill-formed UTF-8 byte"), false;
      buffer_ += static_cast<char>(c);
    }
    return true;
  }
  static const char* control_character_error(int c) {
    static const char* const kWhy[32] = {
        "invalid string: control character U+0000 (NUL) must be escaped to \\u0000",
        "invalid string: control character U+0001 (SOH) must be escaped to \\u0001",
        "invalid string: control character U+0002 (STX) must be escaped to \\u0002",
        "invalid string: control character U+0003 (ETX) must be escaped to \\u0003",
        "invalid string: control character U+0004 (EOT) must be escaped to \\u0004",
        "invalid string: control character U+0005 (ENQ) must be escaped to \\u0005",
        "invalid string: control character U+0006 (ACK) must be escaped to \\u0006",
        "invalid string: control character U+0007 (BEL) must be escaped to \\u0007",
        "invalid string: control character U+0008 (BS) must be escaped to \\u0008 or \\b",
        "invalid string: control character U+0009 (HT) must be escaped to \\u0009 or \\t",
        "invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n",
        "invalid string: control character U+000B (VT) must be escaped to \\u000B",
        "invalid string: control character U+000C (FF) must be escaped to \\u000C or \\f",
        "invalid string: control character U+000D (CR) must be escaped to \\u000D or \\r",
        "invalid string: control character U+000E (SO) must be escaped to \\u000E",
        "invalid string: control character U+000F (SI) must be escaped to \\u000F",
        "invalid string: control character U+0010 (DLE) must be escaped to \\u0010",
        "invalid string: control character U+0011 (DC1) must be escaped to \\u0011",
        "invalid string: control character U+0012 (DC2) must be escaped to \\u0012",
        "invalid string: control character U+0013 (DC3) must be escaped to \\u0013",
        "invalid string: control character U+0014 (DC4) must be escaped to \\u0014",
        "invalid string: control character U+0015 (NAK) must be escaped to \\u0015",
        "invalid string: control character U+0016 (SYN) must be escaped to \\u0016",
        "invalid string: control character U+0017 (ETB) must be escaped to \\u0017",
        "invalid string: control character U+0018 (CAN) must be escaped to \\u0018",
        "invalid string: control character U+0019 (EM) must be escaped to \\u0019",
        "invalid string: control character U+001A (SUB) must be escaped to \\u001A",
        "invalid string: control character U+001B (ESC) must be escaped to \\u001B",
        "invalid string: control character U+001C (FS) must be escaped to \\u001C",
        "invalid string: control character U+001D (GS) must be escaped to \\u001D",
        "invalid string: control character U+001E (RS) must be escaped to \\u001E",
        "invalid string: control character U+001F (US) must be escaped to \\u001F"};
    return kWhy[c];
  }

  // ---- Numbers (nlohmann's lexer::scan_number, state by state) -------------------------
  Token scan_number(int c) {
    number_.clear();
    number_ += static_cast<char>(c);
    Token type = c == '-' ? Token::value_integer : Token::value_unsigned;
    auto digit = [](int d) { return d >= '0' && d <= '9'; };
    auto digits = [&]() {
      int d;
      while (digit(d = get())) number_ += static_cast<char>(d);
      return d;
    };
    if (c == '-') {
      c = get();
      if (!digit(c)) return lexer_error("invalid number; expected digit after '-'");
      number_ += static_cast<char>(c);
    }
    c = c == '0' ? get() : digits();
    if (c == '.') {
      type = Token::value_float;
      number_ += '.';
      c = get();
      if (!digit(c)) return lexer_error("invalid number; expected digit after '.'");
      number_ += static_cast<char>(c);
      c = digits();
    }
    if (c == 'e' || c == 'E') {
      type = Token::value_float;
      number_ += static_cast<char>(c);
      c = get();
      if (c == '+' || c == '-') {
        number_ += static_cast<char>(c);
        c = get();
        if (!digit(c)) return lexer_error("invalid number; expected digit after exponent sign");
      } else if (!digit(c)) {
        return lexer_error("invalid number; expected '+', '-', or digit after exponent");
      }
      number_ += static_cast<char>(c);
      c = digits();
    }
    unget();
    errno = 0;
    char* end = nullptr;
    if (type == Token::value_unsigned) {
      unsigned long long x = std::strtoull(number_.c_str(), &end, 10);
      if (errno == 0 && static_cast<uint64_t>(x) == x) { unsigned_ = x; return type; }
    } else if (type == Token::value_integer) {
      long long x = std::strtoll(number_.c_str(), &end, 10);
      if (errno == 0 && static_cast<int64_t>(x) == x) { integer_ = x; return type; }
    }
    // strtod reads the C library's locale: a host that set one with a decimal
    // comma would have "12.5" read as 12. As nlohmann does, the point is
    // written as that locale's before reading.
    if (decimal_point_ == '.') {
      float_ = std::strtod(number_.c_str(), &end);
    } else {
      in_locale_ = number_;
      std::replace(in_locale_.begin(), in_locale_.end(), '.', decimal_point_);
      float_ = std::strtod(in_locale_.c_str(), &end);
    }
    return Token::value_float;
  }

  // ---- Values (nlohmann's parser::sax_parse_internal) --------------------------------
  static const char* name_of(Token t) {
    switch (t) {
      case Token::literal_true: return "true literal";
      case Token::literal_false: return "false literal";
      case Token::literal_null: return "null literal";
      case Token::value_string: return "string literal";
      case Token::value_unsigned: case Token::value_integer: case Token::value_float: return "number literal";
      case Token::begin_array: return "'['";
      case Token::begin_object: return "'{'";
      case Token::end_array: return "']'";
      case Token::end_object: return "'}'";
      case Token::name_separator: return "':'";
      case Token::value_separator: return "','";
      case Token::parse_error: return "<parse error>";
      case Token::end_of_input: return "end of input";
      case Token::literal_or_value: return "'[', '{', or a literal";
      default: return "<uninitialized>";
    }
  }
  // nlohmann's message without its "last read: '...'", which would quote the text.
  bool fail(Token expected, const char* context, Token got) {
    std::string why = std::string("syntax error while parsing ") + context + " - ";
    if (got == Token::parse_error) {
      why += lexer_error_;
    } else {
      why += std::string("unexpected ") + name_of(got);
      if (expected != Token::none) why += std::string("; expected ") + name_of(expected);
    }
    h_.parse_error(position(), std::move(why));
    return false;
  }

  Token next() { return token_ = scan(); }

  // In an object, token_ being what follows '{' or ',': a member's name and
  // its ':', then the first token of its value.
  bool member_name() {
    if (token_ != Token::value_string) return fail(Token::value_string, "object key", token_);
    if (!h_.key(text_, text_in_input_)) return false;
    if (next() != Token::name_separator) return fail(Token::name_separator, "object separator", token_);
    next();
    return true;
  }

  // Reads one value (with everything in it), token_ being its first token.
  bool parse_value_tree() {
    states_.clear();
    for (;;) {
      switch (token_) {  // a value starts
        case Token::begin_object:
          if (!h_.start_object()) return false;
          if (next() == Token::end_object) {
            if (!h_.end_object()) return false;
            break;
          }
          if (!member_name()) return false;
          states_.push_back(false);
          continue;  // to the member's value
        case Token::begin_array:
          if (!h_.start_array()) return false;
          if (next() == Token::end_array) {
            if (!h_.end_array()) return false;
            break;
          }
          states_.push_back(true);
          continue;  // to the first element
        case Token::value_float:
          if (!std::isfinite(float_)) {
            h_.parse_error(position(), "number overflow: a number too large to be read");
            return false;
          }
          if (!h_.number_float(float_, number_)) return false;
          break;
        case Token::literal_false: if (!h_.boolean(false)) return false; break;
        case Token::literal_true: if (!h_.boolean(true)) return false; break;
        case Token::literal_null: if (!h_.null()) return false; break;
        case Token::value_integer: if (!h_.number_integer(integer_)) return false; break;
        case Token::value_unsigned: if (!h_.number_unsigned(unsigned_)) return false; break;
        case Token::value_string: if (!h_.string(text_, text_in_input_)) return false; break;
        case Token::parse_error: return fail(Token::none, "value", token_);
        default: return fail(Token::literal_or_value, "value", token_);
      }
      // A value has been read: what follows it in its container, closing
      // containers until another value starts.
      for (bool closed = true; closed;) {
        if (states_.empty()) return true;
        if (states_.back()) {  // in an array
          if (next() == Token::value_separator) {
            next();
            closed = false;
          } else if (token_ == Token::end_array) {
            if (!h_.end_array()) return false;
            states_.pop_back();
          } else {
            return fail(Token::end_array, "array", token_);
          }
        } else if (next() == Token::value_separator) {  // in an object
          next();
          if (!member_name()) return false;
          closed = false;
        } else if (token_ == Token::end_object) {
          if (!h_.end_object()) return false;
          states_.pop_back();
        } else {
          return fail(Token::end_object, "object", token_);
        }
      }
    }
  }

  // Reading
  const char* p_;
  const char* end_;
  const char* stop_;
  const char* limit_;  // the nearer of stop_ and end_: where this stretch ends
  const char* segment_;  // where this stretch began
  std::ptrdiff_t before_segment_ = 0;  // characters read before it
  size_t end_reads_ = 0;  // reads at the end (0 or 1, as nlohmann counts them)
  bool started_ = false;
  JsonStops* stops_;
  Handler& h_;
  // The token read last
  Token token_ = Token::none;
  std::string_view text_;
  bool text_in_input_ = false;
  std::string buffer_, number_, in_locale_;
  const char decimal_point_ = locale_decimal_point();

  // The C library locale's decimal point, read as nlohmann reads it ('.' when it says none).
  static char locale_decimal_point() {
    const std::lconv* locale = std::localeconv();
    return locale && locale->decimal_point && *locale->decimal_point ? *locale->decimal_point : '.';
  }
  uint64_t unsigned_ = 0;
  int64_t integer_ = 0;
  double float_ = 0;
  const char* lexer_error_ = "";
  std::vector<bool> states_;  // the open containers: true for an array
};

}  // namespace ilinks::detail
