// Identifiers for resources and events.

#ifndef COMMON_IDS_H_
#define COMMON_IDS_H_

#include <string>

#include "absl/time/time.h"

namespace jalin {

// A ULID in lower-case Crockford base32 (26 characters): 48 bits of
// milliseconds since the epoch, then 80 random bits. Sorts by creation time;
// unique without coordination. Thread-safe.
std::string NewUlid();
std::string NewUlid(absl::Time now);

}  // namespace jalin

#endif  // COMMON_IDS_H_
