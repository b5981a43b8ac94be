#include "services/registry/record_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_join.h"
#include "services/registry/time_util.h"

namespace jalin::registry {
namespace {

using storage::Param;

enum class WriteMode {
  // A new row (ALREADY_EXISTS if the key is taken).
  kInsert,
  // A new row or the replacement of the row with the same key.
  kUpsert,
  // A new row unless one of the same source exists (then nothing).
  kInsertUnlessSourceExists,
};

// The statements writing one table's columns; the first column is the key.
// Immutable after construction.
class RowWriter {
 public:
  RowWriter(absl::string_view table, std::vector<std::string> columns) {
    std::vector<std::string> marks(columns.size(), "?");
    insert_ =
        absl::StrCat("INSERT INTO ", table, " (", absl::StrJoin(columns, ", "),
                     ") VALUES (", absl::StrJoin(marks, ", "), ")");
    std::vector<std::string> sets;
    for (size_t i = 1; i < columns.size(); ++i) {
      sets.push_back(absl::StrCat(columns[i], " = excluded.", columns[i]));
    }
    upsert_ = absl::StrCat(insert_, " ON CONFLICT (", columns[0],
                           ") DO UPDATE SET ", absl::StrJoin(sets, ", "));
    if (std::find(columns.begin(), columns.end(), "src_system") !=
        columns.end()) {
      insert_new_source_ = absl::StrCat(
          insert_, " ON CONFLICT (src_system, src_external_id) DO NOTHING");
    }
  }

  absl::Status Write(storage::Transaction& tx, absl::Span<const Param> values,
                     WriteMode mode) const {
    switch (mode) {
      case WriteMode::kInsert:
        return tx.Exec(insert_, values);
      case WriteMode::kUpsert:
        return tx.Exec(upsert_, values);
      case WriteMode::kInsertUnlessSourceExists:
        return tx.Exec(insert_new_source_, values);
    }
    return absl::InternalError("unknown write mode");
  }

 private:
  std::string insert_;
  std::string upsert_;
  std::string insert_new_source_;
};

// Membership rows of one owner in a table: replaced as a whole.
class MemberWriter {
 public:
  MemberWriter(absl::string_view table, std::vector<std::string> columns)
      : insert_(table, columns),
        delete_(absl::StrCat("DELETE FROM ", table, " WHERE ", columns[0],
                             " = ?")) {}

  // Removes the owner's rows (unless the owner is new).
  absl::Status Clear(storage::Transaction& tx, absl::string_view owner_id,
                     bool created) const {
    return created ? absl::OkStatus() : tx.Exec(delete_, {Param(owner_id)});
  }
  absl::Status Add(storage::Transaction& tx,
                   absl::Span<const Param> values) const {
    return insert_.Write(tx, values, WriteMode::kInsert);
  }

 private:
  RowWriter insert_;
  std::string delete_;
};

// Source columns: NULL for records created through the API.
struct SourceColumns {
  explicit SourceColumns(const v1::Source& s) {
    if (s.system().empty()) return;
    system = Param(s.system());
    external_id = Param(s.external_id());
    version = Param(s.version());
  }
  Param system, external_id, version;
};

// Distinct ids of names in `collection` ("clusters/a" -> "a"), sorted.
std::set<std::string> IdsOf(
    const google::protobuf::RepeatedPtrField<std::string>& names,
    absl::string_view collection) {
  std::set<std::string> ids;
  for (const std::string& n : names) {
    std::string id = IdOf(n, collection);
    if (!id.empty()) ids.insert(std::move(id));
  }
  return ids;
}

absl::Status SaveCategoryMembers(
    storage::Transaction& tx, const MemberWriter& writer,
    const TaxonomyData& taxonomy, absl::string_view owner_id,
    const google::protobuf::RepeatedPtrField<std::string>& categories,
    bool created) {
  RETURN_IF_ERROR(writer.Clear(tx, owner_id, created));
  for (const std::string& id : IdsOf(categories, "categories")) {
    const std::string root = taxonomy.Root(id);
    RETURN_IF_ERROR(writer.Add(tx, {Param(owner_id), Param(id), Param(root)}));
  }
  return absl::OkStatus();
}

// The main row of each kind, built from the record (owning the values its
// parameters point into), and its membership rows.

// The columns every located record (cluster, enterprise, partner) shares.
// `serialized`: the record's bytes when the caller has them (empty:
// serialised here).
template <typename T>
struct LocatedColumns {
  LocatedColumns(const T& r, absl::string_view collection,
                 std::string serialized)
      : id(IdOf(r.name(), collection)),
        region(RegionCodeOf(r.location().region())),
        province(ProvinceCodeOf(r.location().region())),
        src(r.source()),
        data(serialized.empty() ? r.SerializeAsString()
                                : std::move(serialized)) {}

  const std::string id, region, province;
  const SourceColumns src;
  const std::string data;
};

struct ClusterRow : LocatedColumns<v1::Cluster> {
  ClusterRow(const v1::Cluster& c, const TaxonomyData& taxonomy,
             std::string serialized = "")
      : LocatedColumns(c, "clusters", std::move(serialized)),
        record(c),
        sector(CategoryId(c.sector())),
        sector_root(taxonomy.Root(sector)),
        parent(IdOf(c.parent_cluster(), "clusters")) {
    for (int r : c.roles()) roles |= int64_t{1} << r;
  }
  static const RowWriter& Writer() {
    static const RowWriter* const w = new RowWriter(
        "clusters", {"id", "region", "province", "sector", "sector_root",
                     "roles", "verification", "member_count", "parent",
                     "src_system", "src_external_id", "src_version", "data"});
    return *w;
  }
  std::vector<Param> Params() const {
    return {Param(id),
            Param(region),
            Param(province),
            Param(sector),
            Param(sector_root),
            Param(roles),
            Param(record.verification_state()),
            Param(record.member_count()),
            parent.empty() ? Param() : Param(parent),
            src.system,
            src.external_id,
            src.version,
            Param::Blob(data)};
  }
  absl::Status Members(storage::Transaction&, const TaxonomyData&, bool) const {
    return absl::OkStatus();
  }

  const v1::Cluster& record;
  const std::string sector, sector_root, parent;
  int64_t roles = 0;
};

struct EnterpriseRow : LocatedColumns<v1::Enterprise> {
  EnterpriseRow(const v1::Enterprise& e, const TaxonomyData&,
                std::string serialized = "")
      : LocatedColumns(e, "enterprises", std::move(serialized)), record(e) {}
  static const RowWriter& Writer() {
    static const RowWriter* const w = new RowWriter(
        "enterprises",
        {"id", "region", "province", "scale", "nib", "verification",
         "src_system", "src_external_id", "src_version", "data"});
    return *w;
  }
  std::vector<Param> Params() const {
    return {Param(id),
            Param(region),
            Param(province),
            Param(record.scale()),
            record.nib().empty() ? Param() : Param(record.nib()),
            Param(record.verification_state()),
            src.system,
            src.external_id,
            src.version,
            Param::Blob(data)};
  }
  absl::Status Members(storage::Transaction& tx, const TaxonomyData& taxonomy,
                       bool created) const {
    static const MemberWriter* const clusters = new MemberWriter(
        "enterprise_clusters", {"enterprise_id", "cluster_id"});
    static const MemberWriter* const categories = new MemberWriter(
        "enterprise_categories", {"enterprise_id", "category", "root"});
    static const MemberWriter* const certifications = new MemberWriter(
        "enterprise_certifications", {"enterprise_id", "kind", "expire_day"});
    RETURN_IF_ERROR(clusters->Clear(tx, id, created));
    for (const std::string& cluster : IdsOf(record.clusters(), "clusters")) {
      RETURN_IF_ERROR(clusters->Add(tx, {Param(id), Param(cluster)}));
    }
    RETURN_IF_ERROR(SaveCategoryMembers(tx, *categories, taxonomy, id,
                                        record.categories(), created));
    // Per kind, the latest expiry; -1 stands for "never expires".
    std::map<int, int64_t> expiry;
    for (const auto& cert : record.certifications()) {
      std::optional<int64_t> day = DayNumber(cert.expire_date());
      const int64_t value = IsSet(cert.expire_date()) ? day.value_or(0) : -1;
      auto [it, inserted] = expiry.emplace(cert.kind(), value);
      if (!inserted && it->second != -1) {
        it->second = value == -1 ? -1 : std::max(it->second, value);
      }
    }
    RETURN_IF_ERROR(certifications->Clear(tx, id, created));
    for (const auto& [kind, day] : expiry) {
      RETURN_IF_ERROR(certifications->Add(
          tx, {Param(id), Param(kind), day == -1 ? Param() : Param(day)}));
    }
    return absl::OkStatus();
  }

  const v1::Enterprise& record;
};

struct PartnerRow : LocatedColumns<v1::Partner> {
  PartnerRow(const v1::Partner& p, const TaxonomyData&,
             std::string serialized = "")
      : LocatedColumns(p, "partners", std::move(serialized)), record(p) {}
  static const RowWriter& Writer() {
    static const RowWriter* const w = new RowWriter(
        "partners", {"id", "region", "province", "kind", "verification",
                     "src_system", "src_external_id", "src_version", "data"});
    return *w;
  }
  std::vector<Param> Params() const {
    return {Param(id),
            Param(region),
            Param(province),
            Param(record.kind()),
            Param(record.verification_state()),
            src.system,
            src.external_id,
            src.version,
            Param::Blob(data)};
  }
  absl::Status Members(storage::Transaction& tx, const TaxonomyData& taxonomy,
                       bool created) const {
    static const MemberWriter* const categories = new MemberWriter(
        "partner_categories", {"partner_id", "category", "root"});
    return SaveCategoryMembers(tx, *categories, taxonomy, id,
                               record.categories(), created);
  }

  const v1::Partner& record;
};

struct ListingRow {
  ListingRow(const v1::Listing& l, const TaxonomyData& taxonomy,
             std::string serialized = "")
      : record(l),
        id(IdOf(l.name(), "listings")),
        region(RegionCodeOf(l.region())),
        province(ProvinceCodeOf(l.region())),
        category(CategoryId(l.category())),
        root(taxonomy.Root(category)),
        src(l.source()),
        data(serialized.empty() ? l.SerializeAsString()
                                : std::move(serialized)) {
    for (int k : l.required_certifications()) {
      certifications |= int64_t{1} << k;
    }
  }
  static const RowWriter& Writer() {
    static const RowWriter* const w = new RowWriter(
        "listings",
        {"id", "owner", "region", "province", "category", "category_root",
         "kind", "type", "status", "certifications", "verified", "src_system",
         "src_external_id", "src_version", "data"});
    return *w;
  }
  std::vector<Param> Params() const {
    return {Param(id),
            Param(record.owner()),
            Param(region),
            Param(province),
            Param(category),
            Param(root),
            Param(record.kind()),
            Param(record.type()),
            Param(record.status()),
            Param(certifications),
            Param(record.owner_profile().verified()),
            src.system,
            src.external_id,
            src.version,
            Param::Blob(data)};
  }
  absl::Status Members(storage::Transaction& tx, const TaxonomyData&,
                       bool created) const {
    static const MemberWriter* const clusters =
        new MemberWriter("listing_clusters", {"listing_id", "cluster_id"});
    RETURN_IF_ERROR(clusters->Clear(tx, id, created));
    for (const std::string& cluster :
         IdsOf(record.owner_profile().clusters(), "clusters")) {
      RETURN_IF_ERROR(clusters->Add(tx, {Param(id), Param(cluster)}));
    }
    return absl::OkStatus();
  }

  const v1::Listing& record;
  const std::string id, region, province, category, root;
  int64_t certifications = 0;
  const SourceColumns src;
  const std::string data;
};

struct AgreementRow {
  AgreementRow(const v1::Agreement& a, const TaxonomyData&)
      : record(a),
        id(IdOf(a.name(), "agreements")),
        data(a.SerializeAsString()) {}
  static const RowWriter& Writer() {
    static const RowWriter* const w =
        new RowWriter("agreements", {"id", "status", "data"});
    return *w;
  }
  std::vector<Param> Params() const {
    return {Param(id), Param(record.status()), Param::Blob(data)};
  }
  absl::Status Members(storage::Transaction& tx, const TaxonomyData&,
                       bool created) const {
    static const MemberWriter* const parties =
        new MemberWriter("agreement_parties", {"agreement_id", "party"});
    RETURN_IF_ERROR(parties->Clear(tx, id, created));
    std::set<std::string> distinct(record.parties().begin(),
                                   record.parties().end());
    for (const std::string& party : distinct) {
      RETURN_IF_ERROR(parties->Add(tx, {Param(id), Param(party)}));
    }
    return absl::OkStatus();
  }

  const v1::Agreement& record;
  const std::string id;
  const std::string data;
};

template <typename Row, typename T>
absl::Status Save(storage::Transaction& tx, const TaxonomyData& taxonomy,
                  const T& record, bool created) {
  const Row row(record, taxonomy);
  RETURN_IF_ERROR(Row::Writer().Write(
      tx, row.Params(), created ? WriteMode::kInsert : WriteMode::kUpsert));
  return row.Members(tx, taxonomy, created);
}

template <typename Row, typename T>
absl::StatusOr<bool> InsertNew(storage::Transaction& tx,
                               const TaxonomyData& taxonomy, const T& record,
                               std::string serialized) {
  const Row row(record, taxonomy, std::move(serialized));
  RETURN_IF_ERROR(Row::Writer().Write(tx, row.Params(),
                                      WriteMode::kInsertUnlessSourceExists));
  if (tx.ChangedRows() == 0) return false;
  RETURN_IF_ERROR(row.Members(tx, taxonomy, /*created=*/true));
  return true;
}

}  // namespace

absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Cluster& record, bool created) {
  return Save<ClusterRow>(tx, taxonomy, record, created);
}
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Enterprise& record, bool created) {
  return Save<EnterpriseRow>(tx, taxonomy, record, created);
}
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Partner& record, bool created) {
  return Save<PartnerRow>(tx, taxonomy, record, created);
}
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Listing& record, bool created) {
  return Save<ListingRow>(tx, taxonomy, record, created);
}
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Agreement& record, bool created) {
  return Save<AgreementRow>(tx, taxonomy, record, created);
}

absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Cluster& record,
                                    std::string serialized) {
  return InsertNew<ClusterRow>(tx, taxonomy, record, std::move(serialized));
}
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Enterprise& record,
                                    std::string serialized) {
  return InsertNew<EnterpriseRow>(tx, taxonomy, record, std::move(serialized));
}
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Partner& record,
                                    std::string serialized) {
  return InsertNew<PartnerRow>(tx, taxonomy, record, std::move(serialized));
}
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Listing& record,
                                    std::string serialized) {
  return InsertNew<ListingRow>(tx, taxonomy, record, std::move(serialized));
}

}  // namespace jalin::registry
