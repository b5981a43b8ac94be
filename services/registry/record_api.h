// The standard methods (AIP-131..135) of the five record kinds, written
// once: permission before anything is looked up or validated, every
// violation named, nothing stored when anything is wrong, request_id
// replays answered from the request log, events and cache invalidation
// with every change.

#ifndef SERVICES_REGISTRY_RECORD_API_H_
#define SERVICES_REGISTRY_RECORD_API_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "services/registry/record_cache.h"
#include "services/registry/taxonomy.h"
#include "services/registry/write_scope.h"

namespace jalin::registry {

// What the record methods use. Owned by the registry module; everything
// must outlive the RecordApi instances.
struct ApiDeps {
  storage::Database* db = nullptr;
  storage::RequestLog* request_log = nullptr;
  Taxonomy* taxonomy = nullptr;
  RecordCache* cache = nullptr;
  const Clock* clock = nullptr;
  WriteDeps write;
};

// T is v1::Cluster, Enterprise, Partner, Listing or Agreement. Stateless
// beyond `deps`; thread-safe.
template <typename T>
class RecordApi {
 public:
  explicit RecordApi(const ApiDeps* deps) : deps_(deps) {}

  // `request` is the whole request (its fingerprint guards request_id);
  // `id` the optional client-chosen id.
  absl::Status Create(const auth::Principal& p,
                      const google::protobuf::Message& request, const T& body,
                      absl::string_view id, absl::string_view request_id,
                      bool validate_only, T* out) const;
  // From the cache when warm, else from the store. Contacts redacted for
  // callers that may not see them.
  absl::Status Get(const auth::Principal& p, absl::string_view name,
                   T* out) const;
  // Applies `mask` of `body` onto the stored record named body.name. An
  // etag in body.meta must match (ABORTED otherwise). An update that
  // changes nothing answers the record as it is, with no event.
  absl::Status Update(const auth::Principal& p,
                      const google::protobuf::Message& request, const T& body,
                      const google::protobuf::FieldMask& mask,
                      absl::string_view request_id, T* out) const;
  absl::Status Delete(const auth::Principal& p,
                      const google::protobuf::Message& request,
                      absl::string_view name, absl::string_view etag,
                      absl::string_view request_id) const;

 private:
  const ApiDeps* const deps_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_RECORD_API_H_
