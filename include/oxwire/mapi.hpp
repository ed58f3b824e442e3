// oxwire — the MAPI layer in one include (MS-OXPROPS, MS-OXCDATA, MS-OXCPRPT): every property as a
// compile-time constant with run-time lookup by any of its names, property values in owned and
// zero-copy storage with their wire forms, property bags, identifiers and EntryIDs, restrictions,
// sort orders and rule actions.
//   #include <oxwire/mapi.hpp>
//   oxwire::mapi::property_bag bag;
//   bag.set(oxwire::mapi::prop::PidTagSubject, u"Hello");
#pragma once

#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_names.hpp>
#include <oxwire/gen/mapi/prop_nonspec.hpp>
#include <oxwire/gen/mapi/prop_sets.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/entryid.hpp>
#include <oxwire/mapi/error.hpp>
#include <oxwire/mapi/ids.hpp>
#include <oxwire/mapi/property_bag.hpp>
#include <oxwire/mapi/property_lookup.hpp>
#include <oxwire/mapi/property_tag.hpp>
#include <oxwire/mapi/restriction.hpp>
#include <oxwire/mapi/rule_action.hpp>
#include <oxwire/mapi/value.hpp>
#include <oxwire/mapi/value_codec.hpp>
