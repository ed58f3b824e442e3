// Autodiscover for ActiveSync (MS-ASCMD 2.2.1.1, the mobilesync schemas of MS-OXDISCO): a plain
// XML request naming an e-mail address and the acceptable response schema, answered with the
// server's ActiveSync URL. The request is read with a minimal strict XML reader (the library's
// XML reader maps ActiveSync namespaces to WBXML code pages, which Autodiscover's are not); the
// response is written with a small escaping writer.
#pragma once

#include <oxwire/http/request_parser.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire_server {

namespace xml {

/// One element of a small document: local name, default namespace in scope, text, children.
struct element {
  std::string name;
  std::string ns;
  std::string text;
  std::vector<element> children;
  [[nodiscard]] const element* child(std::string_view n) const {
    for (const auto& c : children)
      if (c.name == n) return &c;
    return nullptr;
  }
};

/// Reads a document of elements, attributes, text, the five predefined entities and numeric
/// references (ASCII only), comments and an XML declaration. Anything else (DOCTYPE, CDATA,
/// processing instructions after the prolog, mismatched tags, more than `max_depth` levels or
/// `max_size` bytes) is an error: nullopt.
class reader {
 public:
  static std::optional<element> parse(std::string_view s, std::size_t max_size = 64 * 1024,
                                      std::size_t max_depth = 16) {
    if (s.size() > max_size) return std::nullopt;
    reader r(s, max_depth);
    if (r.s_.substr(0, 3) == "\xEF\xBB\xBF") r.i_ = 3;
    r.space();
    if (r.starts("<?xml")) {
      const auto end = s.find("?>", r.i_);
      if (end == std::string_view::npos) return std::nullopt;
      r.i_ = end + 2;
    }
    element root;
    if (!r.misc() || !r.parse_element(root, "", 0) || !r.misc() || r.i_ != s.size())
      return std::nullopt;
    return root;
  }

 private:
  reader(std::string_view s, std::size_t d) : s_(s), max_depth_(d) {}
  bool starts(std::string_view p) const { return s_.substr(i_, p.size()) == p; }
  void space() {
    while (i_ < s_.size() && std::string_view(" \t\r\n").find(s_[i_]) != std::string_view::npos)
      ++i_;
  }
  /// Comments and whitespace between prolog, root and end; false on an unterminated comment.
  bool misc() {
    for (space(); starts("<!--"); space()) {
      const auto end = s_.find("-->", i_ + 4);
      if (end == std::string_view::npos) return false;
      i_ = end + 3;
    }
    return true;
  }
  static bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
  }
  std::optional<std::string> name() {
    const std::size_t at = i_;
    while (i_ < s_.size() && name_char(s_[i_])) ++i_;
    if (i_ == at) return std::nullopt;
    return std::string(s_.substr(at, i_ - at));
  }
  /// Text up to the next '<', entities resolved.
  bool text(std::string& out, char stop) {
    while (i_ < s_.size() && s_[i_] != stop && s_[i_] != '<') {
      if (s_[i_] != '&') {
        out += s_[i_++];
        continue;
      }
      const auto semi = s_.find(';', i_);
      if (semi == std::string_view::npos || semi - i_ > 8) return false;
      const std::string_view ent = s_.substr(i_ + 1, semi - i_ - 1);
      i_ = semi + 1;
      if (ent == "lt")
        out += '<';
      else if (ent == "gt")
        out += '>';
      else if (ent == "amp")
        out += '&';
      else if (ent == "quot")
        out += '"';
      else if (ent == "apos")
        out += '\'';
      else if (ent.size() > 1 && ent[0] == '#') {
        unsigned v = 0;
        const bool hex = ent[1] == 'x';
        for (char c : ent.substr(hex ? 2 : 1)) {
          const int d = c >= '0' && c <= '9'          ? c - '0'
                        : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                      : -1;
          if (d < 0) return false;
          v = v * (hex ? 16 : 10) + static_cast<unsigned>(d);
        }
        if (v == 0 || v > 0x7F) return false;
        out += static_cast<char>(v);
      } else {
        return false;
      }
    }
    return true;
  }
  bool parse_element(element& e, const std::string& ns, std::size_t depth) {
    if (depth >= max_depth_ || !starts("<")) return false;
    ++i_;
    auto qname = name();
    if (!qname) return false;
    e.name = qname->substr(qname->find(':') == std::string::npos ? 0 : qname->find(':') + 1);
    e.ns = ns;
    for (;;) {
      space();
      if (starts("/>")) return i_ += 2, true;
      if (starts(">")) break;
      auto attr = name();
      if (!attr) return false;
      space();
      if (!starts("=")) return false;
      ++i_;
      space();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) return false;
      const char q = s_[i_++];
      std::string value;
      if (!text(value, q) || i_ >= s_.size() || s_[i_] != q) return false;
      ++i_;
      if (*attr == "xmlns") e.ns = value;
    }
    ++i_;
    for (;;) {
      if (!text(e.text, '<')) return false;
      if (i_ >= s_.size()) return false;
      if (starts("<!--")) {
        const auto end = s_.find("-->", i_ + 4);
        if (end == std::string_view::npos) return false;
        i_ = end + 3;
      } else if (starts("</")) {
        i_ += 2;
        if (name() != qname) return false;
        space();
        if (!starts(">")) return false;
        ++i_;
        return true;
      } else if (starts("<!") || starts("<?")) {
        return false;
      } else {
        if (!parse_element(e.children.emplace_back(), e.ns, depth + 1)) return false;
      }
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::size_t max_depth_;
};

/// An indenting writer: `w.open("Response", ns); w.leaf("Culture", "en:us"); w.close();`.
class writer {
 public:
  writer() { out_ = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"; }
  void open(std::string_view name, std::string_view ns = {}) {
    indent();
    ((out_ += '<') += name);
    if (!ns.empty()) ((out_ += " xmlns=\"") += escape(ns)) += '"';
    out_ += ">\n";
    open_.emplace_back(name);
  }
  void leaf(std::string_view name, std::string_view value) {
    indent();
    ((((((out_ += '<') += name) += '>') += escape(value)) += "</") += name) += ">\n";
  }
  void close() {
    const std::string name = std::move(open_.back());
    open_.pop_back();
    indent();
    ((out_ += "</") += name) += ">\n";
  }
  [[nodiscard]] std::string str() && { return std::move(out_); }

 private:
  void indent() { out_.append(open_.size() * 2, ' '); }
  static std::string escape(std::string_view s) {
    std::string r;
    for (char c : s) {
      if (c == '<')
        r += "&lt;";
      else if (c == '>')
        r += "&gt;";
      else if (c == '&')
        r += "&amp;";
      else if (c == '"')
        r += "&quot;";
      else
        r += c;
    }
    return r;
  }
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace xml

/// MS-ASCMD 2.2.1.1 Autodiscover, the mobilesync request and response schemas, and the outlook
/// response schema of MS-OXDISCO.
struct autodiscover {
  static constexpr std::string_view response_ns =
      "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006";
  static constexpr std::string_view outlook_ns =
      "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
  static constexpr std::string_view outer_ns =
      "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";

  /// The answer for the authenticated `user`; `base` is "https://host" as the client reached us.
  [[nodiscard]] static oxwire::http::response handle(const oxwire::http::request& req,
                                                     std::string_view user, std::string_view base) {
    const auto doc = xml::reader::parse(req.body);
    // Any Autodiscover request is read; the mobilesync and outlook response schemas are
    // offered, other schemas get ErrorCode 601.
    const xml::element* request =
        doc && doc->name == "Autodiscover" ? doc->child("Request") : nullptr;
    const xml::element* email = request ? request->child("EMailAddress") : nullptr;
    const xml::element* schema = request ? request->child("AcceptableResponseSchema") : nullptr;
    xml::writer w;
    w.open("Autodiscover", outer_ns);
    if (!email) {
      error(w, "600", "Invalid Request");  // MS-ASCMD 2.2.3.61: ErrorCode 600
    } else if (schema && schema->text == outlook_ns) {
      outlook(w, user, email->text);
    } else if (!schema || schema->text != response_ns) {
      error(w, "601", "Provider is not available");  // no such response schema
    } else {
      w.open("Response", response_ns);
      w.leaf("Culture", "en:us");
      w.open("User");
      w.leaf("DisplayName", user);
      w.leaf("EMailAddress", email->text);
      w.close();
      w.open("Action");
      w.open("Settings");
      w.open("Server");
      w.leaf("Type", "MobileSync");
      const std::string url = std::string(base) + "/Microsoft-Server-ActiveSync";
      w.leaf("Url", url);
      w.leaf("Name", url);
      w.close();
      w.close();
      w.close();
      w.close();
    }
    w.close();
    return {200, {{"Content-Type", "text/xml; charset=utf-8"}}, std::move(w).str()};
  }

 private:
  /// MS-OXDISCO outlook response: User (DisplayName, AutoDiscoverSMTPAddress) and an Account of
  /// AccountType "email" with Action "settings", and no Protocol element. The outlook schema's
  /// Protocol Types (EXCH, EXPR, EXHTTP for RPC, RPC over HTTP and MAPI over HTTP, WEB for
  /// Outlook Web App) describe endpoints this server does not have; naming one would send
  /// Outlook to a service that is not there, and ActiveSync has no Protocol Type in this
  /// schema (a client finds its URL through the mobilesync schema). So the answer identifies
  /// the account and claims no endpoint.
  static void outlook(xml::writer& w, std::string_view user, std::string_view email) {
    w.open("Response", outlook_ns);
    w.open("User");
    w.leaf("DisplayName", user);
    w.leaf("AutoDiscoverSMTPAddress", email);
    w.close();
    w.open("Account");
    w.leaf("AccountType", "email");
    w.leaf("Action", "settings");
    w.close();
    w.close();
  }
  static void error(xml::writer& w, std::string_view code, std::string_view message) {
    w.open("Response", response_ns);
    w.open("Error");
    w.leaf("ErrorCode", code);
    w.leaf("Message", message);
    w.close();
    w.close();
  }
};

}  // namespace oxwire_server
