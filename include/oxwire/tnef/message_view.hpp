// oxwire — a TNEF stream read in place (MS-OXTNEF 2.1.3): the message, its recipients and
// attachments as property values that point into the stream, nothing copied; `to_owned` turns
// it into the message model the .msg codec shares (oxwire/mapi/message.hpp).
//
//   tnef::stream_header h;
//   auto v = tnef::decode_view(bytes, h);                  // bytes must outlive v
//   if (const auto* s = v->properties.get(mapi::prop::PidTagSubject)) ... s->to_utf8() ...
//   for (const auto& a : v->attachments) ... a.properties.get(mapi::prop::PidTagAttachDataBinary)
//   mapi::message m = tnef::to_owned(*v);
#pragma once

#include <oxwire/mapi/message.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <forward_list>
#include <memory>
#include <vector>

namespace oxwire::tnef {

/// The properties of one object (message, recipient row, attachment) as the stream gives them:
/// one value per property id (MS-OXTNEF 2.3: attMAPIProps and attAttachment values replace the
/// legacy attributes' ones), in the order first given.
struct object_view {
  std::vector<mapi::tagged_value_view> values;

  /// The value under exactly this tag (id and type), or nullptr.
  [[nodiscard]] const mapi::tagged_value_view* find(mapi::property_tag tag) const noexcept {
    const auto it = std::ranges::find(values, tag, &mapi::tagged_value_view::tag);
    return it == values.end() ? nullptr : &*it;
  }
  /// The value with this property id, whatever its type, or nullptr.
  [[nodiscard]] const mapi::tagged_value_view* find_id(std::uint16_t id) const noexcept {
    const auto it = std::ranges::find_if(values, [id](const auto& v) { return v.tag.id() == id; });
    return it == values.end() ? nullptr : &*it;
  }
  /// The value of a tagged property if the object holds it with the property's type.
  template <mapi::PropertyType T>
  [[nodiscard]] const mapi::value_type_t<T, mapi::view>* get(
      const mapi::tagged_property<T>& p) const noexcept {
    const auto* v = find(p.tag());
    return v ? v->value.template get_if<T>() : nullptr;
  }
};

/// MS-OXTNEF 2.1.3.4 PropertyName of a named property, its Name pointing into the stream.
struct property_name_view {
  mapi::name_kind Kind = mapi::name_kind::lid;
  oxwire::guid GUID{};
  std::uint32_t LID = 0;  // Kind lid
  mapi::utf16le Name{};   // Kind name, without its terminating NUL

  [[nodiscard]] mapi::property_name to_owned() const {
    return {Kind, GUID, LID, Kind == mapi::name_kind::name ? Name.to_u16string() : u""};
  }
};

/// The name a property list gave a property id (0x8000 and up).
struct named_id_view {
  std::uint16_t id = 0;
  property_name_view name{};
};

/// Bytes a view holds that the stream does not hold as such: hex-decoded legacy keys
/// (attMessageID, ...) and PtypMultipleInteger16 values without their padding.
class scratch {
 public:
  /// Keeps `b` for as long as the scratch lives and returns a view of it.
  bytes_view keep(std::vector<std::uint8_t> b) {
    blocks_.push_front(std::move(b));
    return blocks_.front();
  }

 private:
  std::forward_list<std::vector<std::uint8_t>> blocks_;
};

struct message_view;

/// MS-OXTNEF 2.1.3.3 the attributes of one attachment; an attachment whose
/// PidTagAttachDataObject is an embedded message (IID_IMessage) has it in `embedded` instead.
struct attachment_view {
  object_view properties;
  std::unique_ptr<message_view> embedded;
};

/// A TNEF stream's message. Values point into the decoded bytes and into `held`.
struct message_view {
  object_view properties;
  std::vector<object_view> recipients;  // attRecipTable rows
  std::vector<attachment_view> attachments;
  std::vector<named_id_view> names;  // in stream order; a later one for an id replaces the earlier
  scratch held;
};

/// The properties of `o` as a property bag (owned values, sorted by tag).
[[nodiscard]] inline mapi::property_bag to_owned(const object_view& o) {
  // Tags sorted once, so that each value is stored at the bag's end: no value is moved.
  std::vector<std::uint64_t> order;
  order.reserve(o.values.size());
  for (std::size_t i = 0; i < o.values.size(); ++i)
    order.push_back(std::uint64_t{o.values[i].tag.value} << 32 | i);
  std::ranges::sort(order);
  mapi::property_bag bag;
  bag.reserve(order.size());
  for (const std::uint64_t k : order) {
    const auto& v = o.values[static_cast<std::uint32_t>(k)];
    (void)bag.set(v.tag, mapi::to_owned(v.value));  // the tag's type is the value's
  }
  return bag;
}

/// The message of `v` in the owning model.
[[nodiscard]] inline mapi::message to_owned(const message_view& v) {
  mapi::message m;
  m.properties = to_owned(v.properties);
  m.recipients.reserve(v.recipients.size());
  for (const auto& r : v.recipients) m.recipients.push_back({to_owned(r)});
  m.attachments.reserve(v.attachments.size());
  for (const auto& a : v.attachments) {
    auto& att = m.attachments.emplace_back();
    att.properties = to_owned(a.properties);
    if (a.embedded) att.embedded.emplace(to_owned(*a.embedded));
  }
  for (const auto& n : v.names) m.names.add(n.name.to_owned(), n.id);
  return m;
}

}  // namespace oxwire::tnef
