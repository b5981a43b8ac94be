#include "services/registry/list_query.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/api/pagination.h"
#include "common/status/status_macros.h"
#include "common/storage/index_hint.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/registry/record_kinds.h"

namespace jalin::registry {

void ListQuery::Where(absl::string_view condition, std::vector<Value> values) {
  absl::StrAppend(&where_, " AND (", condition, ")");
  for (Value& v : values) values_.push_back(std::move(v));
}

void ListQuery::WhereIn(absl::string_view condition,
                        const std::vector<std::string>& values) {
  if (values.empty()) {
    absl::StrAppend(&where_, " AND 0 = 1");
    return;
  }
  std::vector<std::string> marks(values.size(), "?");
  absl::StrAppend(&where_, " AND (",
                  absl::StrReplaceAll(
                      condition, {{"{values}", absl::StrJoin(marks, ", ")}}),
                  ")");
  for (const std::string& v : values) values_.push_back(v);
}

void ListQuery::WhereRegion(absl::string_view field, absl::string_view region,
                            const regions::RegionTable& regions,
                            FieldViolations& v, bool narrowed) {
  if (region.empty()) return;
  const regions::RegionInfo* info =
      absl::StartsWith(region, "regions/") ? regions.Find(region) : nullptr;
  if (info == nullptr) {
    v.Add(std::string(field),
          "must be a known region (regions/33 or regions/33.13)");
    return;
  }
  const bool province = info->level == regions::Level::kProvince;
  Where(absl::StrCat(
            storage::Column(province ? "t.province" : "t.region", !narrowed),
            " = ?"),
        {info->code});
}

std::vector<storage::Param> ListQuery::Params(
    const std::vector<Value>& extra) const {
  std::vector<storage::Param> out;
  out.reserve(values_.size() + extra.size());
  for (const std::vector<Value>* list : {&values_, &extra}) {
    for (const Value& v : *list) {
      if (const int64_t* i = std::get_if<int64_t>(&v)) {
        out.emplace_back(*i);
      } else {
        out.emplace_back(std::get<std::string>(v));
      }
    }
  }
  return out;
}

absl::Status ListQuery::Run(
    storage::Transaction& tx, absl::string_view after_id, int limit,
    absl::FunctionRef<absl::Status(absl::string_view, absl::string_view)> row)
    const {
  const std::string sql =
      absl::StrCat("SELECT t.id, t.data FROM ", table_, " t WHERE t.id > ?",
                   where_, " ORDER BY t.id LIMIT ?");
  std::vector<storage::Param> params;
  params.emplace_back(after_id);
  for (storage::Param& p : Params()) params.push_back(p);
  params.emplace_back(limit);
  return tx.Query(sql, params, [&](const storage::Row& r) {
    return row(r.Text(0), r.Blob(1));
  });
}

absl::StatusOr<int64_t> ListQuery::Count(storage::Transaction& tx) const {
  const std::string sql =
      absl::StrCat("SELECT COUNT(*) FROM ", table_, " t WHERE 1 = 1", where_);
  return storage::QueryInt(tx, sql, Params());
}

std::string QueryFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::Descriptor* d = copy->GetDescriptor();
  for (const char* field : {"page_size", "page_token"}) {
    if (const auto* f = d->FindFieldByName(field); f != nullptr) {
      copy->GetReflection()->ClearField(copy.get(), f);
    }
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return absl::StrCat(d->full_name(), ":", bytes);
}

template <typename T>
absl::Status ReadPage(storage::Database& db, const ListQuery& query,
                      const google::protobuf::Message& request, int page_size,
                      absl::string_view page_token,
                      absl::FunctionRef<void(T record)> add,
                      std::string* next_page_token, int32_t* total_size) {
  const std::string fingerprint = QueryFingerprint(request);
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(page_token, fingerprint));
  std::vector<T> records;
  std::string last_id;
  bool more = false;
  int64_t total = 0;
  RETURN_IF_ERROR(db.Read([&](storage::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(query.Run(
        tx, after, page_size + 1,
        [&](absl::string_view id, absl::string_view data) -> absl::Status {
          if (static_cast<int>(records.size()) == page_size) {
            more = true;
            return absl::OkStatus();
          }
          T& r = records.emplace_back();
          if (!r.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
            return absl::DataLossError(absl::StrCat(
                "unreadable record ", Kind<T>::kCollection, "/", id));
          }
          last_id = std::string(id);
          return absl::OkStatus();
        }));
    ASSIGN_OR_RETURN(total, query.Count(tx));
    return absl::OkStatus();
  }));
  for (T& r : records) add(std::move(r));
  *next_page_token = more ? api::EncodePageToken(fingerprint, last_id) : "";
  *total_size = static_cast<int32_t>(total);
  return absl::OkStatus();
}

#define JALIN_REGISTRY_READ_PAGE(T)                                           \
  template absl::Status ReadPage<T>(                                          \
      storage::Database&, const ListQuery&, const google::protobuf::Message&, \
      int, absl::string_view, absl::FunctionRef<void(T)>, std::string*,       \
      int32_t*)
JALIN_REGISTRY_READ_PAGE(v1::Cluster);
JALIN_REGISTRY_READ_PAGE(v1::Enterprise);
JALIN_REGISTRY_READ_PAGE(v1::Partner);
JALIN_REGISTRY_READ_PAGE(v1::Listing);
JALIN_REGISTRY_READ_PAGE(v1::Agreement);
#undef JALIN_REGISTRY_READ_PAGE

}  // namespace jalin::registry
