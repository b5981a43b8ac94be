#include "services/registry/snapshot.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/events/event_builder.h"
#include "common/events/outbox.h"
#include "common/server/service_host.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/registry/record_kinds.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {
namespace {

constexpr int kDefaultChunk = 500;
constexpr int kMaxChunk = 5000;

absl::Status Collect(storage::Transaction& tx, absl::string_view sql,
                     std::vector<std::string>* out) {
  return tx.Query(sql, {}, [out](const storage::Row& row) {
    out->emplace_back(row.Blob(0));
    return absl::OkStatus();
  });
}

template <typename T>
T Parse(const std::string& bytes) {
  T t;
  t.ParseFromString(bytes);
  return t;
}

}  // namespace

absl::StatusOr<Snapshot> ReadSnapshot(storage::Database& db,
                                      bool include_closed) {
  Snapshot s;
  std::vector<std::string> categories;
  RETURN_IF_ERROR(db.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(events::OutboxPosition pos, events::Outbox::Position(tx));
    s.position.set_stream(events::StreamName("registry"));
    s.position.set_stream_id(pos.last_stream_id);
    s.position.set_sequence(pos.last_sequence);
    RETURN_IF_ERROR(Collect(
        tx,
        absl::StrCat("SELECT data FROM listings",
                     include_closed ? "" : " WHERE status = ",
                     include_closed ? "" : absl::StrCat(v1::Listing::OPEN),
                     " ORDER BY id"),
        &s.listings));
    RETURN_IF_ERROR(
        Collect(tx, "SELECT data FROM clusters ORDER BY id", &s.clusters));
    RETURN_IF_ERROR(
        Collect(tx,
                absl::StrCat("SELECT data FROM agreements WHERE status = ",
                             v1::Agreement::ACTIVE, " ORDER BY id"),
                &s.agreements));
    RETURN_IF_ERROR(
        Collect(tx, "SELECT data FROM categories ORDER BY id", &categories));
    return Collect(tx, "SELECT data FROM supply_links ORDER BY id",
                   &s.supply_links);
  }));
  // Parents before children, so that a consumer can build the tree as it
  // reads.
  std::vector<v1::Category> parsed;
  for (const std::string& c : categories)
    parsed.push_back(Parse<v1::Category>(c));
  ASSIGN_OR_RETURN(std::vector<v1::Category> ordered,
                   ParentsFirst(std::move(parsed)));
  for (const v1::Category& c : ordered) {
    s.categories.push_back(c.SerializeAsString());
  }
  return s;
}

absl::StatusOr<int> SnapshotChunkSize(int requested) {
  if (requested < 0) {
    return InvalidFieldError("chunk_size", "must not be negative");
  }
  if (requested == 0) return kDefaultChunk;
  return std::min(requested, kMaxChunk);
}

SnapshotWriter::SnapshotWriter(Snapshot snapshot, int chunk_size)
    : snapshot_(std::move(snapshot)),
      chunk_size_(static_cast<size_t>(chunk_size)) {
  *message_.mutable_position() = snapshot_.position;
  StartWrite(&message_);
}

bool SnapshotWriter::NextChunk() {
  message_.Clear();
  const std::vector<std::string>* lists[] = {
      &snapshot_.listings, &snapshot_.clusters, &snapshot_.agreements,
      &snapshot_.categories, &snapshot_.supply_links};
  while (list_ < 5 && offset_ >= lists[list_]->size()) {
    ++list_;
    offset_ = 0;
  }
  if (list_ == 5) return false;
  const std::vector<std::string>& list = *lists[list_];
  const size_t end = std::min(list.size(), offset_ + chunk_size_);
  for (; offset_ < end; ++offset_) {
    const std::string& bytes = list[offset_];
    switch (list_) {
      case 0:
        *message_.add_listings() = Parse<v1::Listing>(bytes);
        break;
      case 1: {
        v1::Cluster* c = message_.add_clusters();
        *c = Parse<v1::Cluster>(bytes);
        StripContacts(c);
        break;
      }
      case 2:
        *message_.add_agreements() = Parse<v1::Agreement>(bytes);
        break;
      case 3:
        *message_.add_categories() = Parse<v1::Category>(bytes);
        break;
      default:
        *message_.add_supply_links() = Parse<v1::SupplyLink>(bytes);
        break;
    }
  }
  return true;
}

void SnapshotWriter::OnWriteDone(bool ok) {
  if (!ok) {
    Finish(ToGrpcStatus(
        absl::CancelledError("the client stopped reading the snapshot"),
        ErrorDomain()));
    return;
  }
  if (NextChunk()) {
    StartWrite(&message_);
  } else {
    Finish(grpc::Status::OK);
  }
}

}  // namespace jalin::registry
