// Answers compressed with gzip, fast, when the caller accepts it.
//
// cpp-httplib (Debian's build) would compress JSON answers itself, with
// Brotli at its default quality when the browser accepts "br": ~16 s of CPU
// for the 6.5 MB View of a 20-year record, against ~0.1 s for gzip at level
// 1, which still shrinks a View ~15 times (README "The sharing service:
// performance"). So the service compresses, and the library never sees what
// the caller accepts.
#pragma once
#include <httplib.h>

namespace ilinks::api {

// Before routing: takes Accept-Encoding out of the request (so the library
// will not compress), keeping whether gzip is accepted for compress_answer.
void take_accept_encoding(const httplib::Request& req);

// After routing: compresses `res.body` with gzip (level 1) when the request
// accepted gzip and the body is worth it (1 KB or more); sets
// Content-Encoding and Vary.
void compress_answer(const httplib::Request& req, httplib::Response& res);

}  // namespace ilinks::api
