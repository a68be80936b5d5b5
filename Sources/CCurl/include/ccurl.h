#ifndef CCURL_H
#define CCURL_H
#include <curl/curl.h>
// Typed shims for libcurl's variadic functions, which Swift cannot call.
// (Filled in by the CurlTransport work.)
CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
#endif
