// oxwire-codegen — include/oxwire/gen/rop/*.hpp from specs/mapi/rop-layouts.json.
//
// Each buffer layout (a request, or one response variant) becomes a struct named by its ROP
// (request::RopLogon, response::RopLogon_success_private_mailbox; a response with one layout for
// every ReturnValue has no suffix), and a `layout<S>` specialisation: a constexpr array of
// rop::field_info (wire kind, count/size field, conditional, handle index, columns), the member
// pointers and spec names of the fields, plus `present` / `utf16` functions generated from the
// table's present_if / utf16_if expressions. The response variant is chosen by the `when`
// expressions, compiled into peeks at the fixed offsets of the fields they read. Nothing is
// parsed at run time.
#include "rops.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace codegen {
namespace {

struct rfield {
  std::string name, type;
  std::optional<std::uint64_t> bytes;
  std::optional<std::string> value, count, size, present_if, utf16_if, columns;
};

struct rbuffer {
  std::string section, variant, when;
  std::vector<rfield> fields;
};

struct rrop {
  std::string name, section;
  std::uint64_t ropid = 0;
  std::optional<rbuffer> request;
  std::vector<rbuffer> responses;
};

[[noreturn]] void fail(const std::string& where, const std::string& why) {
  throw std::runtime_error("specs/mapi/rop-layouts.json: " + where + ": " + why);
}

std::optional<std::string> opt_str(simdjson::dom::object o, const char* key) {
  std::string_view s;
  if (o[key].get(s)) return std::nullopt;
  return std::string(s);
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The expression without /*comments*/.
std::string strip_comments(std::string s) {
  for (auto p = s.find("/*"); p != std::string::npos; p = s.find("/*")) {
    const auto e = s.find("*/", p);
    if (e == std::string::npos) throw std::runtime_error("unterminated comment in " + s);
    s.erase(p, e + 2 - p);
  }
  return s;
}

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  std::size_t used = 0;
  try {
    (void)std::stoull(s, &used, 0);
  } catch (...) {
    return false;
  }
  return used == s.size();
}

// One conjunction term of a present_if/when expression as a rop::term initializer
// `{term::op, operand, constant}`, with `ref(name)` giving the operand (a field index, or the
// peek of a response's fixed-offset field). Forms: X == C, X != C, X & C, (X & C), !(X & C),
// and the two logon(...) phrases of the table.
std::string term(std::string t, const std::function<std::string(const std::string&)>& ref,
                 const std::string& where) {
  t = trim(t);
  if (t.starts_with("logon(LogonId) is a public-folders logon"))
    return "{term::public_logon, " + ref("LogonId") + ", 0}";
  if (t.starts_with("logon(LogonId) is a private-mailbox logon"))
    return "{term::private_logon, " + ref("LogonId") + ", 0}";
  bool negate = false;
  if (t.starts_with("!(") && t.ends_with(")")) negate = true, t = trim(t.substr(2, t.size() - 3));
  if (t.starts_with("(") && t.ends_with(")")) t = trim(t.substr(1, t.size() - 2));
  for (const char* op : {"==", "!=", "&"}) {
    const auto p = t.find(op);
    if (p == std::string::npos) continue;
    const std::string lhs = trim(t.substr(0, p)), rhs = trim(t.substr(p + std::string(op).size()));
    if (!is_number(rhs)) fail(where, "constant expected in '" + t + "'");
    const std::string o = std::string(op);
    if (negate && o != "&") fail(where, "cannot negate '" + t + "'");
    const std::string name = o == "&" ? (negate ? "no_bit" : "any_bit") : o == "==" ? "eq" : "ne";
    return "{term::" + name + ", " + ref(lhs) + ", " + rhs + "}";
  }
  fail(where, "cannot read condition '" + t + "'");
}

// A condition as a rop::condition initializer: up to two terms; `always` is no term.
std::string condition(const std::string& expr,
                      const std::function<std::string(const std::string&)>& ref,
                      const std::string& where) {
  const std::string e = strip_comments(expr);
  std::vector<std::string> terms;
  if (!e.starts_with("always")) {
    std::size_t from = 0;
    for (;;) {
      const auto p = e.find("&&", from);
      terms.push_back(
          term(e.substr(from, p == std::string::npos ? std::string::npos : p - from), ref, where));
      if (p == std::string::npos) break;
      from = p + 2;
    }
  }
  if (terms.size() > 2) fail(where, "more than two terms in '" + e + "'");
  std::string out = "{{{";  // the condition, its std::array, the array's elements
  for (std::size_t i = 0; i < terms.size(); ++i) out += (i ? ", " : "") + terms[i];
  return out + "}}}";
}

struct kind_info {
  std::string kind, cpp;
  std::size_t fixed = 0;  // std::array length
  bool array = false;
};

kind_info kind_of(const rfield& f, const std::string& where) {
  std::string t = f.type;
  bool array = false;
  std::size_t fixed = 0;
  if (t.ends_with("[]")) {
    array = true;
    t.resize(t.size() - 2);
  } else if (auto b = t.find('['); b != std::string::npos && t != "bytes") {
    fixed = std::stoul(t.substr(b + 1));
    t.resize(b);
  }
  static const std::map<std::string, std::pair<std::string, std::string>> scalar = {
      {"uint8", {"u8", "std::uint8_t"}},
      {"bool8", {"u8", "std::uint8_t"}},
      {"uint16", {"u16", "std::uint16_t"}},
      {"bool16", {"u16", "std::uint16_t"}},
      {"uint32", {"u32", "std::uint32_t"}},
      {"uint64", {"u64", "std::uint64_t"}},
      {"int32", {"i32", "std::int32_t"}},
      {"uint48", {"u48", "std::uint64_t"}},
      {"GUID", {"guid", "oxwire::guid"}},
      {"PropertyTag", {"tag", "mapi::property_tag"}},
      {"TaggedPropertyValue", {"tagged_value", "mapi::tagged_value"}},
      {"TypedString", {"typed_string", "mapi::typed_string"}},
      {"PropertyProblem", {"problem", "mapi::property_problem"}},
      {"LongTermID", {"long_term_id", "mapi::long_term_id"}},
      {"PropertyName", {"name", "mapi::property_name"}},
      {"SortOrder", {"sort_order", "mapi::SortOrder"}},
      {"PropertyRow", {"row", "mapi::property_row"}},
      {"asciiz|utf16z", {"flex_string", "std::u16string"}},
      {"LogonTime", {"nested", "rop::LogonTime"}},
      {"OpenRecipientRow", {"nested", "rop::OpenRecipientRow"}},
      {"ReadRecipientRow", {"nested", "rop::ReadRecipientRow"}},
      {"ModifyRecipientRow", {"nested", "rop::ModifyRecipientRow"}},
      {"PermissionData", {"nested", "rop::PermissionData"}},
      {"RuleData", {"nested", "rop::RuleData"}},
      {"MessageReadState", {"nested", "rop::MessageReadState"}},
      {"LongTermIdRange", {"nested", "rop::LongTermIdRange"}},
      {"BackoffRop", {"nested", "rop::BackoffRop"}},
  };
  kind_info k;
  k.array = array;
  k.fixed = fixed;
  if (t == "bytes") {
    if (f.size == "rest of the request")
      k = {"rest", "std::vector<std::uint8_t>"};
    else if (!f.size)
      fail(where, "bytes without size");
    else
      k = {"bytes", "std::vector<std::uint8_t>"};
    return k;
  }
  if (t == "NotificationData") return {"rest", "std::vector<std::uint8_t>"};
  if (t == "Restriction") return {"restriction", "std::optional<mapi::restriction>"};
  if (t == "asciiz" && !array) {
    if (f.size) return {"sized_asciiz", "std::optional<std::string>"};
    return {"asciiz", "std::string"};
  }
  if (t == "asciiz") {
    k.kind = "asciiz", k.cpp = "std::string";
  } else {
    auto it = scalar.find(t);
    if (it == scalar.end()) fail(where, "unknown type " + f.type);
    k.kind = it->second.first, k.cpp = it->second.second;
  }
  if (array) k.cpp = "std::vector<" + k.cpp + ">";
  if (fixed) k.cpp = "std::array<" + k.cpp + ", " + std::to_string(fixed) + ">";
  return k;
}

std::size_t fixed_size(const rfield& f) {
  static const std::map<std::string, std::size_t> sizes = {
      {"uint8", 1}, {"bool8", 1},  {"uint16", 2}, {"bool16", 2}, {"uint32", 4},
      {"int32", 4}, {"uint64", 8}, {"uint48", 6}, {"GUID", 16},  {"PropertyTag", 4}};
  auto it = sizes.find(f.type);
  return it == sizes.end() || f.present_if ? 0 : it->second;
}

const std::set<std::string> handle_fields = {"InputHandleIndex", "OutputHandleIndex",
                                             "SourceHandleIndex", "DestHandleIndex",
                                             "ResponseHandleIndex"};

rbuffer load_buffer(simdjson::dom::object o, const std::string& where) {
  rbuffer b;
  b.section = opt_str(o, "section").value_or("");
  b.variant = opt_str(o, "variant").value_or("");
  b.when = opt_str(o, "when").value_or("");
  simdjson::dom::array fields;
  if (o["fields"].get(fields)) fail(where, "no fields");
  for (auto e : fields) {
    simdjson::dom::object f = e.get_object();
    rfield x;
    x.name = opt_str(f, "name").value_or("");
    x.type = opt_str(f, "type").value_or("");
    std::uint64_t n = 0;
    if (!f["bytes"].get(n)) x.bytes = n;
    x.value = opt_str(f, "value");
    x.count = opt_str(f, "count");
    x.size = opt_str(f, "size");
    x.present_if = opt_str(f, "present_if");
    x.utf16_if = opt_str(f, "utf16_if");
    x.columns = opt_str(f, "columns");
    simdjson::dom::array cols;
    if (!x.columns && !f["columns"].get(cols)) {
      std::string list;
      for (auto c : cols) list += std::string(std::string_view(c.get_string())) + ";";
      x.columns = list;
    }
    if (x.name.empty() || x.type.empty()) fail(where, "field without name or type");
    b.fields.push_back(std::move(x));
  }
  return b;
}

// Fixed columns given as "PidTagFolderId (0x67480014)" entries: the hex tags.
std::vector<std::string> fixed_columns(const std::string& list) {
  std::vector<std::string> tags;
  for (auto p = list.find("(0x"); p != std::string::npos; p = list.find("(0x", p + 1))
    tags.push_back(list.substr(p + 1, 10));
  return tags;
}

struct emitted {
  std::string name;  // e.g. RopLogon_success
  std::string text;  // struct, adaptation and layout
};

std::string qualify(bool request, const std::string& name) {
  return std::string("oxwire::rop::") + (request ? "request::" : "response::") + name;
}

emitted emit_buffer(const rrop& rop, const rbuffer& b, bool request, const std::string& name) {
  const std::string where = rop.name + (request ? " request" : " response " + b.variant);
  const std::string self = qualify(request, name);
  std::ostringstream body, info, cols, checks;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < b.fields.size(); ++i) {
    const rfield& f = b.fields[i];
    if (index.count(f.name)) fail(where, "field " + f.name + " twice");
    const kind_info k = kind_of(f, where);
    const std::string ref_name = f.count ? *f.count : f.size ? *f.size : "";
    std::string ref = "-1";
    if (!ref_name.empty() && k.kind != "rest") {
      auto it = index.find(ref_name);
      if (it == index.end()) fail(where, f.name + " refers to " + ref_name + " before it");
      ref = std::to_string(it->second);
    }
    if (k.kind == "nested" && (f.present_if || k.fixed))
      fail(where, f.name + ": a nested struct can be neither conditional nor a fixed array");
    if (k.fixed && f.present_if) fail(where, f.name + ": a fixed array cannot be conditional");
    std::string type = k.cpp;
    if (f.present_if) type = "std::optional<" + type + ">";
    body << "  " << type << " " << f.name << "{"
         << (f.value ? "static_cast<" + k.cpp + ">(" + *f.value + ")" : "") << "};  // " << f.type
         << (f.present_if ? ", if " + strip_comments(*f.present_if) : "") << "\n";
    std::string columns = "columns_from::none", column_span = "{}";
    if (f.columns) {
      if (f.columns->find("request PropertyTags") != std::string::npos)
        columns = "columns_from::request";
      else if (f.columns->find("RopSetColumns") != std::string::npos)
        columns = "columns_from::table";
      else {
        const auto tags = fixed_columns(*f.columns);
        if (tags.empty()) fail(where, "columns '" + *f.columns + "'");
        columns = "columns_from::fixed";
        column_span = "columns";
        cols << "  static constexpr std::array<mapi::property_tag, " << tags.size()
             << "> columns{{";
        for (std::size_t t = 0; t < tags.size(); ++t)
          cols << (t ? ", " : "") << "{" << tags[t] << "}";
        cols << "}};\n";
      }
    }
    if (k.fixed) {
      const std::string elem = k.cpp.substr(11, k.cpp.rfind(',') - 11);  // std::array<elem, N>
      checks << "  static_assert(sizeof(" << self << "::" << f.name << ") == " << k.fixed
             << " * sizeof(" << elem << "));  // elements back to back\n";
    }
    auto ref_of = [&](const std::string& n) {
      auto it = index.find(n);
      if (it == index.end()) fail(where, f.name + ": condition reads " + n + " before it");
      return std::to_string(it->second);
    };
    const std::string shape = k.array ? "vector" : k.fixed ? "array" : "one";
    info << "      {\"" << f.name << "\", offsetof(" << self << ", " << f.name
         << "), kind::" << k.kind << ", shape::" << shape << ", " << k.fixed << ", "
         << (f.present_if ? "true" : "false") << ", " << ref << ", " << (f.size ? "true" : "false")
         << ", " << (handle_fields.count(f.name) ? "true" : "false") << ", " << columns << ", "
         << (f.value ? *f.value : "-1") << ", "
         << (f.present_if ? condition(*f.present_if, ref_of, where) : "{}") << ", "
         << (f.utf16_if ? condition(*f.utf16_if, ref_of, where) : "{}") << ", " << column_span
         << ", "
         << (k.kind == "nested" ? "&element_info<rop::" + f.type.substr(0, f.type.find('[')) + ">"
                                : "nullptr")
         << "},\n";
    index[f.name] = i;
  }
  const std::string text = info.str();
  std::ostringstream o;
  o << "\n/// " << (b.section.empty() ? rop.section : b.section) << " " << rop.name
    << (request ? " request" : " response" + (b.when.empty() ? "" : " (" + b.when + ")"))
    << ".\nstruct " << name << " {\n"
    << body.str() << "  friend bool operator==(const " << name << "&, const " << name
    << "&) = default;\n};\n";
  // The layout is emitted after the namespace closes (see emit_rops).
  std::ostringstream tail;
  tail << "template <>\nstruct oxwire::rop::layout<" << self << "> {\n"
       << "  static_assert(std::is_standard_layout_v<" << self << ">);  // offsetof is defined\n"
       << checks.str() << "  static constexpr std::string_view name = \"" << rop.name << "\";\n"
       << "  static constexpr std::string_view variant = \"" << (request ? "request" : b.variant)
       << "\";\n"
       << "  static constexpr std::uint8_t ropid = " << rop.ropid << ";\n"
       << cols.str() << "  static constexpr std::array<field, " << b.fields.size() << "> fields{{\n"
       << text << "  }};\n};\n";
  return {name, o.str() + "\x1f" + tail.str()};
}

std::string banner() {
  return "// Generated by oxwire-codegen from specs/mapi/rop-layouts.json. Do not edit: change the "
         "table and build the `regen` target.\n// clang-format off\n#pragma once\n\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> emit_rops(const std::string& specs_dir) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.load(specs_dir + "/mapi/rop-layouts.json").get(doc))
    throw std::runtime_error(std::string("specs/mapi/rop-layouts.json: ") +
                             simdjson::error_message(err));
  std::vector<rrop> rops;
  for (auto e : doc["rows"].get_array()) {
    simdjson::dom::object o = e.get_object();
    rrop r;
    r.name = opt_str(o, "name").value_or("");
    r.section = opt_str(o, "section").value_or("");
    if (o["ropid"].get(r.ropid) || r.ropid > 0xFF) fail(r.name, "ropid");
    simdjson::dom::object req;
    if (!o["request"].get(req)) r.request = load_buffer(req, r.name + " request");
    for (auto v : o["responses"].get_array())
      r.responses.push_back(load_buffer(v.get_object(), r.name + " response"));
    rops.push_back(std::move(r));
  }
  std::sort(rops.begin(), rops.end(),
            [](const rrop& a, const rrop& b) { return a.ropid < b.ropid; });

  std::ostringstream req_structs, req_tail, resp_structs, resp_tail, dispatch;
  std::vector<std::string> req_names, resp_names;
  auto split = [](const emitted& e, std::ostringstream& s, std::ostringstream& t) {
    const auto p = e.text.find('\x1f');
    s << e.text.substr(0, p);
    t << e.text.substr(p + 1);
  };
  for (const auto& r : rops) {
    if (r.request) {
      split(emit_buffer(r, *r.request, true, r.name), req_structs, req_tail);
      req_names.push_back(r.name);
    }
    for (const auto& v : r.responses) {
      const std::string name = r.responses.size() == 1 ? r.name : r.name + "_" + v.variant;
      split(emit_buffer(r, v, false, name), resp_structs, resp_tail);
      resp_names.push_back(name);
    }
  }

  auto header = [&](const std::string& ns, const std::string& structs, const std::string& tail,
                    const std::vector<std::string>& names, const char* alias) {
    std::ostringstream o;
    o << banner() << "#include <oxwire/rop/types.hpp>\n\nnamespace oxwire::rop::" << ns << " {\n"
      << structs << "\n}  // namespace oxwire::rop::" << ns << "\n\n"
      << tail << "\nnamespace oxwire::rop {\n\n/// Every " << ns
      << " layout, in RopId order: one alternative per struct.\nusing " << alias
      << " = any_rop<type_list<";
    for (std::size_t i = 0; i < names.size(); ++i) o << (i ? ", " : "") << ns << "::" << names[i];
    o << ">>;\n\n}  // namespace oxwire::rop\n";
    return o.str();
  };

  // Requests: RopId -> decoder; responses: the request's RopId -> its variants in the order
  // their `when` conditions are tried, and the RopId a response carries -> the ROP.
  dispatch << banner() << "#include <oxwire/gen/rop/requests.hpp>\n"
           << "#include <oxwire/gen/rop/responses.hpp>\n#include <oxwire/rop/codec.hpp>\n\n"
           << "namespace oxwire::rop::detail {\n\n"
           << "/// MS-OXCROPS 2.2: RopId -> the decoder of its request struct (nullptr: none).\n"
           << "inline constexpr std::array<decoder<rop_request>, 256> request_decoders{{\n";
  std::map<std::uint64_t, const rrop*> by_id;
  for (const auto& r : rops) by_id[r.ropid] = &r;
  for (std::uint64_t id = 0; id < 256; ++id) {
    auto it = by_id.find(id);
    if (it != by_id.end() && it->second->request)
      dispatch << "    &decode_as<rop_request, request::" << it->second->name << ">,\n";
    else
      dispatch << "    nullptr,\n";
  }
  dispatch << "}};\n\n";
  std::ostringstream variants, entries;
  std::size_t n_variants = 0;
  std::map<std::uint64_t, std::string> entry_of;
  std::map<std::uint64_t, std::uint64_t> rop_of_response_id;
  for (const auto& r : rops) {
    if (r.responses.empty()) continue;
    // The RopId the responses carry (RopGetMessageStatus answers with RopSetMessageStatus's
    // 0x20, MS-OXCROPS 2.2.6.9.2).
    std::string wire;
    for (const auto& f : r.responses.front().fields)
      if (f.name == "RopId" && f.value) wire = *f.value;
    if (wire.empty()) fail(r.name, "response without a RopId value");
    const std::uint64_t wire_id = std::stoull(wire, nullptr, 0);
    // A RopId carried by two ROPs' responses belongs to the ROP whose own RopId it is.
    if (!rop_of_response_id.count(wire_id) || wire_id == r.ropid)
      rop_of_response_id[wire_id] = r.ropid;
    std::vector<const rbuffer*> order;  // specific variants first: == before !=, `always` last
    for (const auto& v : r.responses) order.push_back(&v);
    auto rank = [](const rbuffer* v) {
      if (v->when.starts_with("always")) return 3;
      return v->when.find("!=") != std::string::npos ? 2 : 1;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](auto* a, auto* b) { return rank(a) < rank(b); });
    entry_of[r.ropid] = "{" + std::to_string(n_variants) + ", " + std::to_string(order.size()) +
                        ", " + wire + ", \"" + r.name + " ReturnValue\"}";
    for (const rbuffer* v : order) {
      const std::string name = r.responses.size() == 1 ? r.name : r.name + "_" + v->variant;
      const std::string where = r.name + " response " + v->variant;
      // A `when` operand: the field's fixed offset and size; ReturnValue must be in the input,
      // a later field (LogonFlags) reads as 0 when the input ends first and the variant it
      // selects then reports the truncation.
      auto ref = [&](const std::string& n) {
        std::size_t off = 0;
        for (const auto& f : v->fields) {
          const std::size_t size = fixed_size(f);
          if (f.name == n) {
            if (!size || size > 4) fail(where, "when reads " + n + " of no fixed size");
            return "{" + std::to_string(off) + ", " + std::to_string(size) + ", " +
                   (n == "ReturnValue" ? "true" : "false") + "}";
          }
          if (!size) fail(where, "when reads " + n + " after a field of no fixed size");
          off += size;
        }
        fail(where, "when reads unknown field " + n);
      };
      variants << "    {&decode_as<rop_response, response::" << name << ">, "
               << condition(v->when, ref, where) << "},\n";
      ++n_variants;
    }
  }
  dispatch
      << "/// MS-OXCROPS 2.2: the response variants of every ROP, each with the condition on its\n"
         "/// fixed-offset fields (ReturnValue, LogonFlags) that selects it.\n"
      << "inline constexpr std::array<response_variant<rop_response>, " << n_variants
      << "> response_variants{{\n"
      << variants.str() << "}};\n\n"
      << "/// The request's RopId -> its response variants (count 0: no response).\n"
      << "inline constexpr std::array<response_entry, 256> response_entries{{\n";
  for (std::uint64_t id = 0; id < 256; ++id)
    dispatch << "    " << (entry_of.count(id) ? entry_of[id] : "{}") << ",\n";
  dispatch << "}};\n\n"
           << "/// The RopId a response carries -> the RopId of the ROP it answers (0: none).\n"
           << "inline constexpr std::array<std::uint8_t, 256> rop_of_response_id{{";
  for (std::uint64_t id = 0; id < 256; ++id)
    dispatch << (id % 16 ? " " : "\n    ")
             << (rop_of_response_id.count(id) ? rop_of_response_id[id] : 0) << ",";
  dispatch << "\n}};\n\n}  // namespace oxwire::rop::detail\n";

  return {{"rop/requests.hpp",
           header("request", req_structs.str(), req_tail.str(), req_names, "rop_request")},
          {"rop/responses.hpp",
           header("response", resp_structs.str(), resp_tail.str(), resp_names, "rop_response")},
          {"rop/dispatch.hpp", dispatch.str()}};
}

}  // namespace codegen
