#include "common/storage/request_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace jalin::storage {
namespace {

constexpr Migration kMigrations[] = {
    {1, "request log",
     R"sql(
CREATE TABLE jalin_requests (
  caller TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (caller, method, request_id)
);
CREATE INDEX jalin_requests_created ON jalin_requests (created_at);
)sql"},
};

std::string Fingerprint(const google::protobuf::Message& m) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x:%d", h, bytes.size());
}

}  // namespace

absl::Status RequestLog::Migrate(Database& db) {
  return db.Migrate("requests", kMigrations);
}

absl::Status RequestLog::RunOnce(
    Database& db, absl::string_view caller, absl::string_view method,
    absl::string_view request_id, const google::protobuf::Message& request,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(Transaction&)> body) {
  return db.Write([&](Transaction& tx) {
    return RunOnceIn(tx, caller, method, request_id, request, response, body);
  });
}

absl::StatusOr<bool> RequestLog::Lookup(Transaction& tx,
                                        absl::string_view caller,
                                        absl::string_view method,
                                        absl::string_view request_id,
                                        absl::string_view fingerprint,
                                        google::protobuf::Message* response) {
  bool found = false;
  std::string stored_fingerprint, stored_response;
  RETURN_IF_ERROR(tx.Query(
      "SELECT fingerprint, response FROM jalin_requests "
      "WHERE caller = ? AND method = ? AND request_id = ?",
      {Param(caller), Param(method), Param(request_id)}, [&](const Row& row) {
        found = true;
        stored_fingerprint = std::string(row.Text(0));
        stored_response = std::string(row.Blob(1));
        return absl::OkStatus();
      }));
  if (!found) return false;
  if (stored_fingerprint != fingerprint) {
    return InvalidFieldError("request_id",
                             "was already used for a different request");
  }
  if (!response->ParseFromString(stored_response)) {
    return absl::DataLossError("stored answer of a request cannot be read");
  }
  return true;
}

absl::StatusOr<bool> RequestLog::FindAnswer(
    Database& db, absl::string_view caller, absl::string_view method,
    absl::string_view request_id, const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  const std::string fingerprint = Fingerprint(request);
  absl::StatusOr<bool> found = false;
  RETURN_IF_ERROR(db.Read([&](Transaction& tx) {
    found = Lookup(tx, caller, method, request_id, fingerprint, response);
    return absl::OkStatus();
  }));
  return found;
}

absl::Status RequestLog::RunOnceIn(
    Transaction& tx, absl::string_view caller, absl::string_view method,
    absl::string_view request_id, const google::protobuf::Message& request,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(Transaction&)> body) {
  if (request_id.empty()) return body(tx);
  const std::string fingerprint = Fingerprint(request);
  absl::StatusOr<bool> found =
      Lookup(tx, caller, method, request_id, fingerprint, response);
  if (!found.ok()) return found.status();
  if (*found) return absl::OkStatus();
  RETURN_IF_ERROR(body(tx));
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO jalin_requests (caller, method, request_id, fingerprint, "
      "response, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {Param(caller), Param(method), Param(request_id), Param(fingerprint),
       Param::Blob(response->SerializeAsString()), Param(now)}));
  // Forget old ids now and then, in the same transaction.
  if (++writes_ % 1000 == 0) {
    RETURN_IF_ERROR(tx.Exec("DELETE FROM jalin_requests WHERE created_at < ?",
                            {Param(now - absl::ToInt64Seconds(retention_))}));
  }
  return absl::OkStatus();
}

}  // namespace jalin::storage

namespace jalin {

void ValidateRequestId(absl::string_view request_id, FieldViolations& v) {
  if (request_id.empty()) return;
  if (request_id.size() > 128) {
    v.Add("request_id", "must be at most 128 characters");
    return;
  }
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      v.Add("request_id", "must be printable ASCII without spaces");
      return;
    }
  }
}

}  // namespace jalin
