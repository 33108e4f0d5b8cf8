// The one translation unit that compiles Boost.URL: Debian ships its headers but no library, and its
// src.hpp is the documented header-only build.
#include <boost/url/src.hpp>
