#ifndef CCURL_H
#define CCURL_H
#include <curl/curl.h>

// Typed shims for libcurl's variadic functions, which Swift cannot call.
// Each shim fixes the type of the third argument, so a wrong type is a
// compile error in Swift rather than undefined behaviour in C.

/// Calls `curl_global_init(CURL_GLOBAL_DEFAULT)` exactly once per process; returns its result.
CURLcode ccurl_global_init_once(void);

/// The callback libcurl calls with body bytes (CURLOPT_WRITEFUNCTION) or one header line (CURLOPT_HEADERFUNCTION).
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *userdata);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_ptr(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_str(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_easy_setopt_data_cb(CURL *handle, CURLoption option, ccurl_data_callback value);

/// Sets a blob option (CURLOPT_CAINFO_BLOB) to `length` bytes at `data`, which libcurl reads in place:
/// the caller keeps them alive and unchanged for as long as the handle may connect.
CURLcode ccurl_easy_setopt_blob_nocopy(CURL *handle, CURLoption option, void *data, size_t length);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
/// A string property (CURLINFO_CAINFO); `*value` is owned by libcurl, NULL when unset.
CURLcode ccurl_easy_getinfo_str(CURL *handle, CURLINFO info, const char **value);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

/// Reads the next finished transfer from the multi handle, skipping any other message kind.
/// Returns 1 and fills `easy` and `result` when one was found, 0 when the queue is empty.
int ccurl_multi_next_done(CURLM *handle, CURL **easy, CURLcode *result);

#endif
