// oxwire — property bags: the properties of one object (message, folder, attachment, recipient),
// typed where the property is known at compile time and keyed by tag for generic code.
//
//   property_bag bag;
//   bag.set(prop::PidTagSubject, u"Hello");
//   std::optional<std::u16string_view> s = bag.get(prop::PidTagSubject);
//   bag.set(property_tag{0x0E080003}, property_value::make<PropertyType::PtypInteger32>(1024));
//   bag.names(&map);                                   // ids of named properties, per store
//   std::optional<std::int32_t> d = bag.get(prop::PidLidReminderDelta);
#pragma once

#include <oxwire/mapi/value_codec.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace oxwire::mapi {

/// A store's (or a .msg file's) mapping between named properties and the property ids it gave
/// them (MS-OXCPRPT 3.1.4.2: 0x8000 and up): filled from RopGetPropertyIdsFromNames,
/// RopGetNamesFromPropertyIds, or a .msg file's named property mapping.
class named_property_map {
 public:
  /// Records that `name` has property id `id`; a later call for the same name replaces it.
  void add(const property_name& name, std::uint16_t id) {
    by_name_[key_of(name)] = id;
    by_id_[id] = name;
  }
  /// The id of a PidLid* property: `map.find(set, 0x8501)`.
  [[nodiscard]] std::optional<std::uint16_t> find(const oxwire::guid& set,
                                                  std::uint32_t lid) const {
    return lookup({set, name_kind::lid, lid, {}});
  }
  /// The id of a PidName* property: `map.find(PS_PUBLIC_STRINGS, u"Keywords")`.
  [[nodiscard]] std::optional<std::uint16_t> find(const oxwire::guid& set,
                                                  std::u16string_view name) const {
    return lookup({set, name_kind::name, 0, std::u16string(name)});
  }
  /// The id of a generated named property (its ASCII name is widened).
  template <PropertyType T>
  [[nodiscard]] std::optional<std::uint16_t> find(const named_property<T>& p) const {
    if (p.by_lid()) return find(p.set, p.lid);
    return find(p.set, std::u16string(p.name.begin(), p.name.end()));
  }
  /// The name behind a property id, or nullptr.
  [[nodiscard]] const property_name* name_of(std::uint16_t id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &it->second;
  }
  [[nodiscard]] std::size_t size() const noexcept { return by_id_.size(); }

 private:
  using key = std::tuple<oxwire::guid, name_kind, std::uint32_t, std::u16string>;
  static key key_of(const property_name& n) { return {n.GUID, n.Kind, n.LID, n.Name}; }
  [[nodiscard]] std::optional<std::uint16_t> lookup(const key& k) const {
    const auto it = by_name_.find(k);
    if (it == by_name_.end()) return std::nullopt;
    return it->second;
  }

  std::map<key, std::uint16_t> by_name_;
  std::map<std::uint16_t, property_name> by_id_;
};

namespace detail {

/// What typed access hands out for a value of type T: a view for strings, binaries and arrays,
/// the value itself for scalars, a reference for structures.
template <class V>
struct ref_of {
  using type = std::reference_wrapper<const V>;
  static type of(const V& v) { return std::cref(v); }
};
template <class V>
requires std::is_scalar_v<V> || std::is_same_v<V, currency> || std::is_same_v<V, floating_time> ||
    std::is_same_v<V, filetime> || std::is_same_v<V, oxwire::guid> ||
    std::is_same_v<V, std::monostate>
struct ref_of<V> {
  using type = V;
  static type of(const V& v) { return v; }
};
template <>
struct ref_of<std::u16string> {
  using type = std::u16string_view;
  static type of(const std::u16string& v) { return v; }
};
template <>
struct ref_of<std::string> {
  using type = std::string_view;
  static type of(const std::string& v) { return v; }
};
template <class E>
struct ref_of<std::vector<E>> {
  using type = std::span<const E>;
  static type of(const std::vector<E>& v) { return v; }
};
template <class X>
struct ref_of<boxed<X>> {
  using type = std::reference_wrapper<const X>;
  static type of(const boxed<X>& v) { return std::cref(*v); }
};

}  // namespace detail

/// What `property_bag::get` returns for a property of type T: `get_type_t<PtypString>` is
/// std::u16string_view, `get_type_t<PtypInteger32>` std::int32_t, `get_type_t<PtypBinary>`
/// std::span<const std::uint8_t>.
template <PropertyType T>
using get_type_t = typename detail::ref_of<value_type_t<T>>::type;

/// The properties of one object, sorted by tag. Typed access checks types at compile time;
/// tag access checks them at run time. Views that `get` returns stay valid until the bag changes.
class property_bag {
 public:
  property_bag() = default;

  /// The bag of a decoded row: each present value under its column's tag (the wire type for a
  /// PtypUnspecified column); absent and error values are left out.
  [[nodiscard]] static property_bag from_row(std::span<const property_tag> columns,
                                             const property_row_view& row) {
    property_bag bag;
    for (std::size_t i = 0; i < columns.size() && i < row.ValueArray.size(); ++i) {
      const auto& v = row.ValueArray[i];
      if (v.flag != value_flag::present) continue;
      bag.put(columns[i].with_type(v.value.type()), to_owned(v.value));
    }
    return bag;
  }

  /// Resolves named properties through `map` (not owned; nullptr forgets it).
  void names(const named_property_map* map) noexcept { names_ = map; }
  [[nodiscard]] const named_property_map* names() const noexcept { return names_; }

  // --- typed access -----------------------------------------------------------------------

  /// The value of a tagged property, if the bag holds it with the property's type.
  template <PropertyType T>
  [[nodiscard]] std::optional<get_type_t<T>> get(const tagged_property<T>& p) const {
    return get_typed<T>(p.tag());
  }
  /// The value of a named property, if the name map gives it an id and the bag holds it.
  template <PropertyType T>
  [[nodiscard]] std::optional<get_type_t<T>> get(const named_property<T>& p) const {
    const auto id = resolve(p);
    if (!id) return std::nullopt;
    return get_typed<T>(property_tag::make(*id, T));
  }

  /// Sets a tagged property: `bag.set(prop::PidTagImportance, 2)`.
  template <PropertyType T>
  void set(const tagged_property<T>& p, value_type_t<T> v) {
    put(p.tag(), property_value::make<T>(std::move(v)));
  }
  /// Sets a named property; errc::unresolved_named_property if the map has no id for it.
  template <PropertyType T>
  [[nodiscard]] result<void> set(const named_property<T>& p, value_type_t<T> v) {
    const auto id = resolve(p);
    if (!id) return error{errc::unresolved_named_property, 0, p.canonical.data()};
    put(property_tag::make(*id, T), property_value::make<T>(std::move(v)));
    return {};
  }

  // --- access by tag ----------------------------------------------------------------------

  /// The value stored under exactly this tag (id and type), or nullptr.
  [[nodiscard]] const property_value* find(property_tag tag) const noexcept {
    const auto it = lower(tag);
    return it != values_.end() && it->tag == tag ? &it->value : nullptr;
  }
  /// The first value with this property id, whatever its type, or nullptr.
  [[nodiscard]] const tagged_value* find_id(std::uint16_t id) const noexcept {
    const auto it = lower(property_tag::make(id, PropertyType::PtypUnspecified));
    return it != values_.end() && it->tag.id() == id ? &*it : nullptr;
  }
  /// Stores `v` under `tag`; errc::type_mismatch if the tag's type is not the value's.
  [[nodiscard]] result<void> set(property_tag tag, property_value v) {
    if (tag.type() != v.type()) return error{errc::type_mismatch, 0, "property_bag::set"};
    put(tag, std::move(v));
    return {};
  }
  /// Removes the value under `tag`; false if there was none.
  bool erase(property_tag tag) {
    const auto it = lower(tag);
    if (it == values_.end() || it->tag != tag) return false;
    values_.erase(it);
    return true;
  }

  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  [[nodiscard]] bool empty() const noexcept { return values_.empty(); }
  /// Room for `n` values (a bag filled in tag order then stores each at its end).
  void reserve(std::size_t n) { values_.reserve(n); }
  /// (tag, value) pairs in tag order.
  [[nodiscard]] auto begin() const noexcept { return values_.begin(); }
  [[nodiscard]] auto end() const noexcept { return values_.end(); }
  /// The tags in the bag, in order: the columns for `to_row`.
  [[nodiscard]] std::vector<property_tag> tags() const {
    std::vector<property_tag> out;
    out.reserve(values_.size());
    for (const auto& v : values_) out.push_back(v.tag);
    return out;
  }
  /// A StandardPropertyRow of every value, for the columns `tags()` returns.
  [[nodiscard]] property_row to_row() const {
    property_row row;
    row.ValueArray.reserve(values_.size());
    for (const auto& v : values_)
      row.ValueArray.push_back({v.value.type(), value_flag::present, v.value});
    return row;
  }

  friend bool operator==(const property_bag& a, const property_bag& b) {
    return a.values_ == b.values_;
  }

 private:
  [[nodiscard]] std::vector<tagged_value>::const_iterator lower(property_tag tag) const noexcept {
    return std::ranges::lower_bound(values_, tag, {}, &tagged_value::tag);
  }
  void put(property_tag tag, property_value v) {
    const auto it = std::ranges::lower_bound(values_, tag, {}, &tagged_value::tag);
    if (it != values_.end() && it->tag == tag) {
      values_[static_cast<std::size_t>(it - values_.begin())].value = std::move(v);
      return;
    }
    values_.insert(it, tagged_value{tag, std::move(v)});
  }
  template <PropertyType T>
  [[nodiscard]] std::optional<get_type_t<T>> get_typed(property_tag tag) const {
    const property_value* v = find(tag);
    if (!v) return std::nullopt;
    return detail::ref_of<value_type_t<T>>::of(*v->template get_if<T>());
  }
  template <PropertyType T>
  [[nodiscard]] std::optional<std::uint16_t> resolve(const named_property<T>& p) const {
    return names_ ? names_->find(p) : std::nullopt;
  }

  std::vector<tagged_value> values_;  // sorted by tag
  const named_property_map* names_ = nullptr;
};

}  // namespace oxwire::mapi
