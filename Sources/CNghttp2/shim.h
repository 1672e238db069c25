#ifndef SLUICE_CNGHTTP2_SHIM_H
#define SLUICE_CNGHTTP2_SHIM_H
/// libnghttp2 1.52 (Debian 12): the pre-1.60 API names (nghttp2_submit_response,
/// nghttp2_data_provider) are the ones used.
#include <nghttp2/nghttp2.h>
#endif
