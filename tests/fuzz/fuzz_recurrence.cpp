// Fuzzes the MS-OXOCAL 2.2.1.44 recurrence decoders: decode_appointment_recurrence and
// decode_recurrence_pattern on the whole input. Every success must encode back to exactly the
// input (the codec does not canonicalise) and decode again to the same value, and its expansion
// over a bounded window must terminate within the limits; every failure must be an error inside
// the input.
#include <oxwire/mapi/recurrence.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <type_traits>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

template <class T, class Decode>
void check(oxwire::bytes_view input, Decode decode) {
  const auto v = decode(input);
  if (!v) {
    require(v.error().offset <= input.size());
    return;
  }
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  require(oxwire::mapi::encode(w, *v).has_value());
  require(std::equal(out.begin(), out.end(), input.begin(), input.end()));
  require(decode(out).value() == *v);
  if constexpr (std::is_same_v<T, oxwire::mapi::AppointmentRecurrencePattern>) {
    const std::uint32_t from = v->RecurrencePattern.StartDate;
    const auto e = oxwire::mapi::expand_occurrences(*v, from, from + 400 * 1440,
                                                    {.max_occurrences = 500, .max_steps = 5000});
    if (e)
      for (const auto& o : *e) require(o.start < from + 400 * 1440);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace mapi = oxwire::mapi;
  const oxwire::bytes_view input(data, size);
  const mapi::recurrence_limits lim{.max_instance_dates = 1024, .max_reserved_block = 4096};
  check<mapi::AppointmentRecurrencePattern>(
      input, [&](oxwire::bytes_view b) { return mapi::decode_appointment_recurrence(b, lim); });
  check<mapi::RecurrencePattern>(
      input, [&](oxwire::bytes_view b) { return mapi::decode_recurrence_pattern(b, lim); });
  return 0;
}
