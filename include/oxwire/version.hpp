// oxwire — library version (CMake reads it from here).
#pragma once

#define OXWIRE_VERSION_MAJOR 0
#define OXWIRE_VERSION_MINOR 1
#define OXWIRE_VERSION_PATCH 0
#define OXWIRE_VERSION_STRING "0.1.0"
