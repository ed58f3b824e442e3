// oxwire — RTF tokenizer: groups, control words, control symbols, text runs, \'hh bytes and
// \binN data, with an explicit group nesting limit.
//
//   oxwire::rtf::tokenizer tok(rtf_bytes);
//   for (;;) {
//     auto t = tok.next();                       // result<token>
//     if (!t) ... t.error().message() ...        // e.g. "unbalanced group at offset 812"
//     if (t->kind == oxwire::rtf::token_kind::eof) break;
//   }
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/rtf/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace oxwire::rtf {

enum class token_kind : std::uint8_t {
  group_open,      // {
  group_close,     // }
  control_word,    // \word or \wordN (the space that ends it is consumed)
  control_symbol,  // \ followed by one non-letter: \* \~ \- \_ \{ \} \\ ...
  text,            // bytes up to the next \ { } (CR and LF are not part of RTF text)
  hex_byte,        // \'hh
  binary,          // the N bytes after \binN
  eof,             // end of input, every group closed
};

struct token {
  token_kind kind = token_kind::eof;
  std::size_t offset = 0;      // of the token's first byte
  std::string_view word;       // control word name, or the control symbol's character
  bool has_parameter = false;  // control word with a numeric parameter
  std::int32_t parameter = 0;  // clamped to the int32 range
  bytes_view data;             // text run or \bin data
  std::uint8_t byte = 0;       // hex_byte value
};

struct tokenizer_options {
  /// Deepest group nesting accepted; one more '{' is errc::limit_exceeded at its offset.
  std::size_t max_depth = 256;
};

/// Splits RTF into tokens (MSFT-RTF "Conventions of an RTF Reader"). Errors:
/// errc::unbalanced_group ('}' at depth 0 at its offset, or end of input with a group open, at
/// the offset of the innermost open '{'), oxwire::errc::limit_exceeded (nesting),
/// invalid_control_word (a name over 32 letters, a parameter over 10 digits, a negative \bin),
/// invalid_hex_escape, and oxwire::errc::truncated (a lone '\' or \bin data cut short).
class tokenizer {
 public:
  explicit tokenizer(bytes_view rtf, const tokenizer_options& opt = {})
      : in_(rtf), max_depth_(opt.max_depth) {}

  /// Group nesting after the last token: `if (tok.depth() == 1) ...`.
  [[nodiscard]] std::size_t depth() const noexcept { return open_.size(); }

  [[nodiscard]] result<token> next() {
    while (pos_ < in_.size() && (in_[pos_] == '\r' || in_[pos_] == '\n')) ++pos_;
    token t;
    t.offset = pos_;
    if (pos_ == in_.size()) {
      if (!open_.empty()) return error{errc::unbalanced_group, open_.back(), "group"};
      return t;
    }
    const std::uint8_t c = in_[pos_];
    if (c == '{') {
      if (open_.size() >= max_depth_) return error{oxwire::errc::limit_exceeded, pos_, "group"};
      open_.push_back(pos_++);
      t.kind = token_kind::group_open;
      return t;
    }
    if (c == '}') {
      if (open_.empty()) return error{errc::unbalanced_group, pos_, "group"};
      open_.pop_back();
      ++pos_;
      t.kind = token_kind::group_close;
      return t;
    }
    if (c != '\\') {
      std::size_t end = pos_;
      while (end < in_.size() && !is_special(in_[end])) ++end;
      t.kind = token_kind::text;
      t.data = in_.subspan(pos_, end - pos_);
      pos_ = end;
      return t;
    }
    return escape(t);
  }

 private:
  static constexpr bool is_special(std::uint8_t c) noexcept {
    return c == '\\' || c == '{' || c == '}' || c == '\r' || c == '\n';
  }
  static constexpr bool is_letter(std::uint8_t c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  static constexpr bool is_digit(std::uint8_t c) noexcept { return c >= '0' && c <= '9'; }
  static constexpr int hex_value(std::uint8_t c) noexcept {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  [[nodiscard]] std::string_view view(std::size_t from, std::size_t n) const noexcept {
    return {reinterpret_cast<const char*>(in_.data()) + from, n};
  }

  // After a '\' at t.offset.
  [[nodiscard]] result<token> escape(token& t) {
    const std::size_t start = pos_++;
    if (pos_ == in_.size()) return error{oxwire::errc::truncated, start, "control symbol"};
    const std::uint8_t c = in_[pos_];
    if (!is_letter(c)) {
      ++pos_;
      if (c == '\'') {
        const int hi = pos_ < in_.size() ? hex_value(in_[pos_]) : -1;
        const int lo = pos_ + 1 < in_.size() ? hex_value(in_[pos_ + 1]) : -1;
        if (hi < 0 || lo < 0) return error{errc::invalid_hex_escape, start, "\\'hh"};
        pos_ += 2;
        t.kind = token_kind::hex_byte;
        t.byte = static_cast<std::uint8_t>(hi << 4 | lo);
        return t;
      }
      if (c == '\r' || c == '\n') {  // "\<newline>" is \par (MSFT-RTF)
        t.kind = token_kind::control_word;
        t.word = "par";
        return t;
      }
      t.kind = token_kind::control_symbol;
      t.word = view(pos_ - 1, 1);
      return t;
    }
    const std::size_t name_at = pos_;
    while (pos_ < in_.size() && is_letter(in_[pos_])) ++pos_;
    if (pos_ - name_at > 32) return error{errc::invalid_control_word, start, "control word"};
    t.kind = token_kind::control_word;
    t.word = view(name_at, pos_ - name_at);
    const bool negative = pos_ + 1 < in_.size() && in_[pos_] == '-' && is_digit(in_[pos_ + 1]);
    if (negative) ++pos_;
    const std::size_t digits_at = pos_;
    std::int64_t v = 0;
    while (pos_ < in_.size() && is_digit(in_[pos_])) {
      if (pos_ - digits_at == 10) return error{errc::invalid_control_word, start, "parameter"};
      v = v * 10 + (in_[pos_++] - '0');
    }
    if (pos_ > digits_at) {
      t.has_parameter = true;
      if (negative) v = -v;
      t.parameter = static_cast<std::int32_t>(v < INT32_MIN   ? INT32_MIN
                                              : v > INT32_MAX ? INT32_MAX
                                                              : v);
    }
    if (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;
    if (t.word == "bin" && t.has_parameter) {
      if (t.parameter < 0) return error{errc::invalid_control_word, start, "\\bin"};
      const auto n = static_cast<std::size_t>(t.parameter);
      if (in_.size() - pos_ < n) return error{oxwire::errc::truncated, pos_, "\\bin data"};
      t.kind = token_kind::binary;
      t.data = in_.subspan(pos_, n);
      pos_ += n;
    }
    return t;
  }

  bytes_view in_;
  std::size_t pos_ = 0;
  std::size_t max_depth_;
  std::vector<std::size_t> open_;  // offsets of the open '{'
};

}  // namespace oxwire::rtf
