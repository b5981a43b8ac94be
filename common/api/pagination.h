// AIP-158 pagination: page sizes with a default and a maximum, and opaque
// page tokens for keyset pagination (the token holds the sort key of the
// last item returned, so pages stay correct while records are added or
// removed between calls).

#ifndef COMMON_API_PAGINATION_H_
#define COMMON_API_PAGINATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace jalin::api {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 → default; above the maximum → the maximum (AIP-158); negative → a
// violation of `field`.
int PageSize(int32_t requested, FieldViolations& violations,
             absl::string_view field = "page_size",
             int default_size = kDefaultPageSize, int max_size = kMaxPageSize);

// A token for the page after the item with sort key `last_key`. `query` is
// a fingerprint of the request's filters (everything but page_size and
// page_token), so that a token cannot be replayed against another query.
std::string EncodePageToken(absl::string_view query,
                            absl::string_view last_key);

// The last key of the previous page; empty for an empty token.
// INVALID_ARGUMENT naming `page_token` when the token is malformed or was
// issued for a different query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query);

}  // namespace jalin::api

#endif  // COMMON_API_PAGINATION_H_
