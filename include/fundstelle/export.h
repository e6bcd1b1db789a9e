// Symbols of the public API are exported from libfundstelle; everything else stays hidden inside it.
#pragma once

#if defined(__GNUC__)
#define FUNDSTELLE_API __attribute__((visibility("default")))
#else
#define FUNDSTELLE_API
#endif
