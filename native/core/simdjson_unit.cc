// Compiles the simdjson amalgamation (npm @nozbe/simdjson, pinned in package.json) into
// the addon as one translation unit. binding.gyp globs native/core/*.cc and puts the
// package's src/ folder on the include path, so upgrading simdjson is a package.json
// change only. Its own warnings are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#include "simdjson.cpp"
#pragma GCC diagnostic pop
