#ifndef WEIR_CPCRE2_SHIM_H
#define WEIR_CPCRE2_SHIM_H
// PCRE2 with 8-bit code units: Swift calls the pcre2_*_8 functions directly.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
