// Small helpers shared by the curation stores: times as Unix microseconds,
// protos in blob columns.

#ifndef SERVICES_CURATION_STORE_UTIL_H_
#define SERVICES_CURATION_STORE_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace jalin::curation::store {

inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

// Parses a stored proto; DATA_LOSS naming `what` if the bytes are damaged.
inline absl::Status ParseBlob(absl::string_view bytes,
                              google::protobuf::Message* out,
                              absl::string_view what) {
  if (!out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("stored ", what, " cannot be read"));
  }
  return absl::OkStatus();
}

// SQL condition: the `region` column is the given region or lies within it
// (a province covers its kabupaten/kota: "regions/33" matches
// "regions/33.13"). Binds the region twice. A range, so that an index on
// region serves it: codes are digits and dots, and '/' follows '.' and
// comes before the digits, so [R, R + "/") holds R and R's "R.…" codes and
// not "R1…" (a LIKE inside an OR kept every index out).
inline constexpr absl::string_view kRegionWithin =
    "(region >= ? AND region < ? || '/')";

inline std::string Blob(const google::protobuf::Message& m) {
  return m.SerializeAsString();
}

}  // namespace jalin::curation::store

#endif  // SERVICES_CURATION_STORE_UTIL_H_
