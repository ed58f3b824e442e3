// libytnef (Debian libytnef0-dev) as an oracle: the subject and the attachments it reads from a
// TNEF stream, in the form the tests compare ours in.
#pragma once

// ytnef's headers define the spec's attribute names (attOwner, LVL_MESSAGE, ...) as macros: the
// oxwire headers come first, and nothing after this header may use those names.
#include "tnef_test.hpp"
// clang-format off
#include <cstddef>
#include <cstdio>
#include <optional>
extern "C" {
#include <ytnef.h>
}
// clang-format on

namespace oxwire_test {

struct ytnef_view {
  bool ok = false;
  std::optional<std::string> subject;  // attSubject, raw 8-bit
  std::vector<attachment_fact> attachments;
};

/// The bytes of a ytnef value; empty for MAPI_UNDEFINED.
inline std::string ytnef_bytes(const variableLength* v) {
  if (v == MAPI_UNDEFINED || !v || !v->data || v->size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(v->data), static_cast<std::size_t>(v->size));
}

/// What ytnef reads. Names: PR_ATTACH_LONG_FILENAME (8-bit or Unicode), else attAttachTitle, in
/// UTF-8 through the same code page rule as ours; data: attAttachData, else the
/// PR_ATTACH_DATA_OBJ value after its 16-byte interface identifier.
inline ytnef_view read_with_ytnef(std::vector<std::uint8_t> bytes, std::uint32_t cp) {
  ytnef_view out;
  TNEFStruct t;
  TNEFInitialize(&t);
  t.Debug = 0;
  out.ok = TNEFParseMemory(bytes.data(), static_cast<long>(bytes.size()), &t) == 0;
  if (out.ok) {
    if (t.subject.size > 0) {
      std::string s = ytnef_bytes(&t.subject);
      while (!s.empty() && s.back() == '\0') s.pop_back();
      out.subject = s;
    }
    for (Attachment* p = t.starting_attach.next; p; p = p->next) {
      attachment_fact f;
      const std::string wide =
          ytnef_bytes(MAPIFindProperty(&p->MAPI, PROP_TAG(PT_UNICODE, PR_ATTACH_LONG_FILENAME)));
      std::string narrow =
          ytnef_bytes(MAPIFindProperty(&p->MAPI, PROP_TAG(PT_STRING8, PR_ATTACH_LONG_FILENAME)));
      if (narrow.empty()) narrow = ytnef_bytes(&p->Title);
      while (!narrow.empty() && narrow.back() == '\0') narrow.pop_back();
      // ytnef hands PT_UNICODE values out converted to UTF-8.
      const std::string name = wide.empty() ? oxwire::mapi::string8_to_utf8(narrow, cp) : wide;
      f.name = name.substr(0, name.find('\0'));
      std::string data = ytnef_bytes(&p->FileData);
      if (data.empty()) {
        const std::string obj =
            ytnef_bytes(MAPIFindProperty(&p->MAPI, PROP_TAG(PT_OBJECT, PR_ATTACH_DATA_OBJ)));
        if (obj.size() >= 16) data = obj.substr(16);
      }
      f.data.assign(data.begin(), data.end());
      out.attachments.push_back(std::move(f));
    }
  }
  TNEFFree(&t);
  return out;
}

}  // namespace oxwire_test
