// oxwire — one decoded ROP of any layout in a list (rop_request, rop_response): the struct on the
// heap behind its index in a type list. A std::variant of the 206 response layouts costs minutes
// to compile (its recursive union is instantiated per alternative and index); this costs one
// small class per layout.
//
//   if (const auto* logon = get_if<request::RopLogon>(&rop)) ...
//   visit([](const auto& r) { std::cout << layout<std::decay_t<decltype(r)>>::name; }, rop);
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace oxwire::rop {

template <class... T>
struct type_list {
  static constexpr std::size_t size = sizeof...(T);
};

namespace detail {

/// Position of S in T... (sizeof...(T) when absent), without recursive instantiation.
template <class S, class... T>
[[nodiscard]] consteval std::size_t index_of() noexcept {
  std::size_t i = 0;
  (void)((std::is_same_v<S, T> ? true : (++i, false)) || ...);
  return i;
}

struct holder_base {
  virtual ~holder_base() = default;
  [[nodiscard]] virtual std::unique_ptr<holder_base> clone() const = 0;
  [[nodiscard]] virtual bool equals(const holder_base& other) const = 0;
  [[nodiscard]] virtual void* address() noexcept = 0;
};

template <class S>
struct holder final : holder_base {
  explicit holder(S&& v) : value(std::move(v)) {}
  explicit holder(const S& v) : value(v) {}
  [[nodiscard]] std::unique_ptr<holder_base> clone() const override {
    return std::unique_ptr<holder_base>(new holder(value));
  }
  [[nodiscard]] bool equals(const holder_base& other) const override {
    return value == static_cast<const holder&>(other).value;
  }
  [[nodiscard]] void* address() noexcept override { return &value; }
  S value;
};

}  // namespace detail

template <class List>
class any_rop;

/// One value of one of the structs T...; copyable, comparable, never empty.
template <class... T>
class any_rop<type_list<T...>> {
 public:
  static constexpr std::size_t size = sizeof...(T);
  template <std::size_t I>
  using alternative = std::tuple_element_t<I, std::tuple<T...>>;
  template <class S>
  static constexpr std::size_t index_of = detail::index_of<std::remove_cvref_t<S>, T...>();

  template <class S>
  requires(index_of<S> < size)
      any_rop(S&& v)  // NOLINT: implicit, like std::variant's converting constructor
      : index_(static_cast<std::uint16_t>(index_of<S>)),
        p_(new detail::holder<std::remove_cvref_t<S>>(std::forward<S>(v))) {}
  any_rop(const any_rop& o) : index_(o.index_), p_(o.p_->clone()) {}
  any_rop(any_rop&&) noexcept = default;
  any_rop& operator=(const any_rop& o) {
    if (this != &o) *this = any_rop(o);
    return *this;
  }
  any_rop& operator=(any_rop&&) noexcept = default;

  /// Position of the held struct's type in T...
  [[nodiscard]] std::size_t index() const noexcept { return index_; }
  /// The held struct, for the table interpreter (rop/codec.hpp) that knows its layout by index().
  [[nodiscard]] const void* address() const noexcept { return p_->address(); }
  [[nodiscard]] void* address() noexcept { return p_->address(); }

  template <class S>
  [[nodiscard]] const S* get_if() const noexcept {
    return index_ == index_of<S> ? &static_cast<const detail::holder<S>&>(*p_).value : nullptr;
  }
  template <class S>
  [[nodiscard]] S* get_if() noexcept {
    return index_ == index_of<S> ? &static_cast<detail::holder<S>&>(*p_).value : nullptr;
  }

  /// f(held struct); f is instantiated for every T.
  template <class F>
  decltype(auto) visit(F&& f) const {
    using R = std::invoke_result_t<F&, const alternative<0>&>;
    static constexpr R (*table[])(const detail::holder_base&,
                                  F&) = {[](const detail::holder_base& h, F& g) -> R {
      return g(static_cast<const detail::holder<T>&>(h).value);
    }...};
    return table[index_](*p_, f);
  }
  template <class F>
  decltype(auto) visit(F&& f) {
    using R = std::invoke_result_t<F&, alternative<0>&>;
    static constexpr R (*table[])(detail::holder_base&,
                                  F&) = {[](detail::holder_base& h, F& g) -> R {
      return g(static_cast<detail::holder<T>&>(h).value);
    }...};
    return table[index_](*p_, f);
  }

  friend bool operator==(const any_rop& a, const any_rop& b) {
    return a.index_ == b.index_ && a.p_->equals(*b.p_);
  }

 private:
  std::uint16_t index_;
  std::unique_ptr<detail::holder_base> p_;
};

/// std::variant-like access, found by argument-dependent lookup.
template <class S, class L>
[[nodiscard]] const S* get_if(const any_rop<L>* v) noexcept {
  return v ? v->template get_if<S>() : nullptr;
}
template <class S, class L>
[[nodiscard]] S* get_if(any_rop<L>* v) noexcept {
  return v ? v->template get_if<S>() : nullptr;
}
template <class S, class L>
[[nodiscard]] bool holds_alternative(const any_rop<L>& v) noexcept {
  return v.template get_if<S>() != nullptr;
}
/// The held S; std::bad_cast-free: a wrong S is a programming error and terminates.
template <class S, class L>
[[nodiscard]] const S& get(const any_rop<L>& v) {
  const S* p = v.template get_if<S>();
  if (!p) std::terminate();
  return *p;
}
template <class F, class L>
decltype(auto) visit(F&& f, const any_rop<L>& v) {
  return v.visit(std::forward<F>(f));
}
template <class F, class L>
decltype(auto) visit(F&& f, any_rop<L>& v) {
  return v.visit(std::forward<F>(f));
}

}  // namespace oxwire::rop
