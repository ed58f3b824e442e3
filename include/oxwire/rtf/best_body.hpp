// oxwire — the MS-OXBBODY best body choice: which of PidTagBody, PidTagRtfCompressed and
// PidTagHtml a client shows, from which of them a message has.
//
//   auto b = oxwire::rtf::best_body({.PidTagBody = true, .PidTagHtml = true});   // html
#pragma once

#include <cstdint>
#include <optional>

namespace oxwire::rtf {

/// The body formats of PidTagNativeBody (MS-OXCMSG 2.2.1.58.2), undefined being 0.
enum class body_format : std::uint8_t {
  undefined = 0,
  plain_text = 1,
  rtf = 2,
  html = 3,
  clear_signed = 4
};

/// Which body properties a message has, and PidTagRtfInSync / PidTagNativeBody when present.
struct body_properties {
  bool PidTagBody = false;
  bool PidTagRtfCompressed = false;
  bool PidTagHtml = false;
  std::optional<bool> PidTagRtfInSync = std::nullopt;
  std::optional<std::int32_t> PidTagNativeBody = std::nullopt;
};

/// MS-OXBBODY 2.1.3.1: a PidTagNativeBody of 1 to 4 is the answer (step 1). Otherwise (step 2)
/// RTF wins when PidTagRtfInSync is TRUE or it is the only body; otherwise HTML, then plain
/// text.
[[nodiscard]] constexpr body_format best_body(const body_properties& p) noexcept {
  if (p.PidTagNativeBody && *p.PidTagNativeBody >= 1 && *p.PidTagNativeBody <= 4)
    return static_cast<body_format>(*p.PidTagNativeBody);
  const bool in_sync = p.PidTagRtfInSync.value_or(false);
  if (p.PidTagRtfCompressed && (in_sync || (!p.PidTagHtml && !p.PidTagBody)))
    return body_format::rtf;
  if (p.PidTagHtml) return body_format::html;
  if (p.PidTagBody) return body_format::plain_text;
  return body_format::undefined;
}

}  // namespace oxwire::rtf
