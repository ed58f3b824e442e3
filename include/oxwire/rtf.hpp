// oxwire — compressed RTF (MS-OXRTFCP), RTF de-encapsulation (MS-OXRTFEX), best body (MS-OXBBODY).
// Compressed RTF's CRC comes from libdeflate: link it (pkg-config libdeflate).
#pragma once

#include <oxwire/rtf/best_body.hpp>
#include <oxwire/rtf/compressed.hpp>
#include <oxwire/rtf/deencapsulate.hpp>
#include <oxwire/rtf/encapsulate.hpp>
#include <oxwire/rtf/error.hpp>
#include <oxwire/rtf/tokenizer.hpp>
