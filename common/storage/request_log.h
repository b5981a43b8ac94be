// AIP-155 idempotency: a mutating request carrying a request_id is carried
// out once; a replay returns the first answer and has no second effect (no
// second write, no second event).

#ifndef COMMON_STORAGE_REQUEST_LOG_H_
#define COMMON_STORAGE_REQUEST_LOG_H_

#include <atomic>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "common/storage/database.h"
#include "google/protobuf/message.h"

namespace jalin::storage {

// Thread-safe; one per service.
class RequestLog {
 public:
  explicit RequestLog(absl::Duration retention = absl::Hours(24 * 7))
      : retention_(retention) {}

  // Creates the table (component "requests").
  static absl::Status Migrate(Database& db);

  // Runs `body` in a write transaction, once per (caller, method,
  // request_id):
  //  - empty request_id: runs `body` every time;
  //  - first time: runs `body`; if it succeeds, stores `*response` with the
  //    id in the same transaction;
  //  - replay of the same request: fills `*response` with the stored answer
  //    and does not run `body`;
  //  - the id reused for a different request: INVALID_ARGUMENT on
  //    "request_id".
  // Failed requests are not remembered, so they can be retried.
  absl::Status RunOnce(Database& db, absl::string_view caller,
                       absl::string_view method, absl::string_view request_id,
                       const google::protobuf::Message& request,
                       google::protobuf::Message* response,
                       absl::FunctionRef<absl::Status(Transaction&)> body);

  // Looks the request up without running anything, for a handler that
  // checks things outside its write transaction (a window, another
  // service): a replay must get its first answer even when those changed
  // since, so it asks here before them. True with `*response` filled when
  // the request was answered before; false when it is new (or request_id
  // is empty), `*response` untouched; INVALID_ARGUMENT on "request_id" when
  // the id was used for a different request.
  absl::StatusOr<bool> FindAnswer(Database& db, absl::string_view caller,
                                  absl::string_view method,
                                  absl::string_view request_id,
                                  const google::protobuf::Message& request,
                                  google::protobuf::Message* response);

  // The same inside a transaction the caller already holds.
  absl::Status RunOnceIn(Transaction& tx, absl::string_view caller,
                         absl::string_view method, absl::string_view request_id,
                         const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         absl::FunctionRef<absl::Status(Transaction&)> body);

 private:
  // FindAnswer inside `tx`, with the request's fingerprint.
  absl::StatusOr<bool> Lookup(Transaction& tx, absl::string_view caller,
                              absl::string_view method,
                              absl::string_view request_id,
                              absl::string_view fingerprint,
                              google::protobuf::Message* response);

  const absl::Duration retention_;
  std::atomic<int64_t> writes_{0};
};

}  // namespace jalin::storage

namespace jalin {

// Checks the shape of a request_id (up to 128 printable ASCII characters,
// no spaces); adds a violation of "request_id" otherwise. Empty is fine.
void ValidateRequestId(absl::string_view request_id, FieldViolations& v);

}  // namespace jalin

#endif  // COMMON_STORAGE_REQUEST_LOG_H_
