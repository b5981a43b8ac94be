// The read cache in front of the store for Get calls. Entries are ordered
// by record revision, so that a value read from the store before a change
// can never overwrite what the change left behind.

#ifndef SERVICES_REGISTRY_RECORD_CACHE_H_
#define SERVICES_REGISTRY_RECORD_CACHE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace jalin::registry {

// Implementations are thread-safe and never fail a caller: when the cache
// cannot be reached, Get misses and the rest does nothing (but must not let
// a value that was changed meanwhile be served later).
class RecordCache {
 public:
  struct Change {
    // "enterprises/01J...".
    std::string name;
    // The revision the change committed (for a delete: a new revision).
    int64_t revision;
  };

  virtual ~RecordCache() = default;

  // The serialised record, or nullopt on a miss.
  virtual std::optional<std::string> Get(absl::string_view name) = 0;
  // Offers the record as read from the store at `revision`; ignored when
  // the cache already knows of this revision or a later one.
  virtual void Fill(absl::string_view name, int64_t revision,
                    absl::string_view bytes) = 0;
  // After a commit: the records changed; older values must not be served.
  virtual void Invalidate(absl::Span<const Change> changes) = 0;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_RECORD_CACHE_H_
