// Conversions between absl::Time and google.protobuf.Timestamp.
//
// Header-only, pure functions; thread-safe.

#ifndef COMMON_PROTO_TIME_H_
#define COMMON_PROTO_TIME_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace jalin {

// An unset timestamp (0 s, 0 ns) is InfinitePast(): "never" or "not given".
inline absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return absl::InfinitePast();
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// InfinitePast() clears the timestamp; other infinities are clamped to the
// range protobuf allows (years 1 to 9999).
inline void ToProtoTime(absl::Time time, google::protobuf::Timestamp* out) {
  out->Clear();
  if (time == absl::InfinitePast()) return;
  constexpr int64_t kMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  int64_t seconds = absl::ToUnixSeconds(time);
  if (seconds < kMinSeconds) seconds = kMinSeconds;
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  const absl::Duration rest = time - absl::FromUnixSeconds(seconds);
  int64_t nanos = absl::ToInt64Nanoseconds(rest);
  if (nanos < 0 || nanos > 999'999'999) nanos = 0;
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(nanos));
}

inline google::protobuf::Timestamp ProtoTime(absl::Time time) {
  google::protobuf::Timestamp t;
  ToProtoTime(time, &t);
  return t;
}

}  // namespace jalin

#endif  // COMMON_PROTO_TIME_H_
