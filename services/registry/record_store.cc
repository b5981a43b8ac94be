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

// INSERT (and, for an existing row, INSERT ... ON CONFLICT (id) DO UPDATE)
// of one table's columns; the first column is the key. Immutable after
// construction.
class RowWriter {
 public:
  RowWriter(absl::string_view table, std::vector<std::string> columns) {
    std::vector<std::string> marks(columns.size(), "?");
    insert_ = absl::StrCat("INSERT INTO ", table, " (",
                           absl::StrJoin(columns, ", "), ") VALUES (",
                           absl::StrJoin(marks, ", "), ")");
    std::vector<std::string> sets;
    for (size_t i = 1; i < columns.size(); ++i) {
      sets.push_back(absl::StrCat(columns[i], " = excluded.", columns[i]));
    }
    upsert_ = absl::StrCat(insert_, " ON CONFLICT (", columns[0],
                           ") DO UPDATE SET ", absl::StrJoin(sets, ", "));
  }

  absl::Status Write(storage::Transaction& tx, absl::Span<const Param> values,
                     bool created) const {
    return tx.Exec(created ? insert_ : upsert_, values);
  }

 private:
  std::string insert_;
  std::string upsert_;
};

// Membership rows of one owner in `table`: replaced as a whole.
class MemberWriter {
 public:
  MemberWriter(absl::string_view table, std::vector<std::string> columns)
      : insert_(table, columns),
        delete_(absl::StrCat("DELETE FROM ", table, " WHERE ", columns[0],
                             " = ?")) {}

  // Removes the owner's rows (unless the owner is new).
  absl::Status Clear(storage::Transaction& tx, absl::string_view owner_id,
                     bool created) const {
    return created ? absl::OkStatus()
                   : tx.Exec(delete_, {Param(owner_id)});
  }
  absl::Status Add(storage::Transaction& tx,
                   absl::Span<const Param> values) const {
    return insert_.Write(tx, values, /*created=*/true);
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

absl::Status SaveCategoryMembers(storage::Transaction& tx,
                                 const MemberWriter& writer,
                                 const TaxonomyData& taxonomy,
                                 absl::string_view owner_id,
                                 const google::protobuf::RepeatedPtrField<
                                     std::string>& categories,
                                 bool created) {
  RETURN_IF_ERROR(writer.Clear(tx, owner_id, created));
  for (const std::string& id : IdsOf(categories, "categories")) {
    const std::string root = taxonomy.Root(id);
    RETURN_IF_ERROR(writer.Add(tx, {Param(owner_id), Param(id), Param(root)}));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Cluster& c, bool created) {
  static const RowWriter* const row = new RowWriter(
      "clusters", {"id", "region", "province", "sector", "sector_root",
                   "roles", "verification", "member_count", "parent",
                   "src_system", "src_external_id", "src_version", "data"});
  const std::string id = IdOf(c.name(), "clusters");
  const std::string region = RegionCodeOf(c.location().region());
  const std::string province = ProvinceCodeOf(c.location().region());
  const std::string sector = CategoryId(c.sector());
  const std::string sector_root = taxonomy.Root(sector);
  int64_t roles = 0;
  for (int r : c.roles()) roles |= int64_t{1} << r;
  const std::string parent = IdOf(c.parent_cluster(), "clusters");
  const SourceColumns src(c.source());
  const std::string data = c.SerializeAsString();
  return row->Write(
      tx,
      {Param(id), Param(region), Param(province), Param(sector),
       Param(sector_root), Param(roles), Param(c.verification_state()),
       Param(c.member_count()), parent.empty() ? Param() : Param(parent),
       src.system, src.external_id, src.version, Param::Blob(data)},
      created);
}

absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Enterprise& e, bool created) {
  static const RowWriter* const row = new RowWriter(
      "enterprises",
      {"id", "region", "province", "scale", "nib", "verification",
       "src_system", "src_external_id", "src_version", "data"});
  static const MemberWriter* const clusters =
      new MemberWriter("enterprise_clusters", {"enterprise_id", "cluster_id"});
  static const MemberWriter* const categories = new MemberWriter(
      "enterprise_categories", {"enterprise_id", "category", "root"});
  static const MemberWriter* const certifications = new MemberWriter(
      "enterprise_certifications", {"enterprise_id", "kind", "expire_day"});

  const std::string id = IdOf(e.name(), "enterprises");
  const std::string region = RegionCodeOf(e.location().region());
  const std::string province = ProvinceCodeOf(e.location().region());
  const SourceColumns src(e.source());
  const std::string data = e.SerializeAsString();
  RETURN_IF_ERROR(row->Write(
      tx,
      {Param(id), Param(region), Param(province), Param(e.scale()),
       e.nib().empty() ? Param() : Param(e.nib()),
       Param(e.verification_state()), src.system, src.external_id, src.version,
       Param::Blob(data)},
      created));

  RETURN_IF_ERROR(clusters->Clear(tx, id, created));
  for (const std::string& cluster : IdsOf(e.clusters(), "clusters")) {
    RETURN_IF_ERROR(clusters->Add(tx, {Param(id), Param(cluster)}));
  }
  RETURN_IF_ERROR(SaveCategoryMembers(tx, *categories, taxonomy, id,
                                      e.categories(), created));
  // Per kind, the latest expiry; -1 stands for "never expires".
  std::map<int, int64_t> expiry;
  for (const auto& cert : e.certifications()) {
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

absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Partner& p, bool created) {
  static const RowWriter* const row = new RowWriter(
      "partners", {"id", "region", "province", "kind", "verification",
                   "src_system", "src_external_id", "src_version", "data"});
  static const MemberWriter* const categories = new MemberWriter(
      "partner_categories", {"partner_id", "category", "root"});
  const std::string id = IdOf(p.name(), "partners");
  const std::string region = RegionCodeOf(p.location().region());
  const std::string province = ProvinceCodeOf(p.location().region());
  const SourceColumns src(p.source());
  const std::string data = p.SerializeAsString();
  RETURN_IF_ERROR(row->Write(
      tx,
      {Param(id), Param(region), Param(province), Param(p.kind()),
       Param(p.verification_state()), src.system, src.external_id, src.version,
       Param::Blob(data)},
      created));
  return SaveCategoryMembers(tx, *categories, taxonomy, id, p.categories(),
                             created);
}

absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Listing& l, bool created) {
  static const RowWriter* const row = new RowWriter(
      "listings",
      {"id", "owner", "region", "province", "category", "category_root",
       "kind", "type", "status", "certifications", "verified", "src_system",
       "src_external_id", "src_version", "data"});
  static const MemberWriter* const clusters =
      new MemberWriter("listing_clusters", {"listing_id", "cluster_id"});
  const std::string id = IdOf(l.name(), "listings");
  const std::string region = RegionCodeOf(l.region());
  const std::string province = ProvinceCodeOf(l.region());
  const std::string category = CategoryId(l.category());
  const std::string root = taxonomy.Root(category);
  int64_t certifications = 0;
  for (int k : l.required_certifications()) certifications |= int64_t{1} << k;
  const SourceColumns src(l.source());
  const std::string data = l.SerializeAsString();
  RETURN_IF_ERROR(row->Write(
      tx,
      {Param(id), Param(l.owner()), Param(region), Param(province),
       Param(category), Param(root), Param(l.kind()), Param(l.type()),
       Param(l.status()), Param(certifications),
       Param(l.owner_profile().verified()), src.system, src.external_id,
       src.version, Param::Blob(data)},
      created));
  RETURN_IF_ERROR(clusters->Clear(tx, id, created));
  for (const std::string& cluster :
       IdsOf(l.owner_profile().clusters(), "clusters")) {
    RETURN_IF_ERROR(clusters->Add(tx, {Param(id), Param(cluster)}));
  }
  return absl::OkStatus();
}

absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData&,
                        const v1::Agreement& a, bool created) {
  static const RowWriter* const row =
      new RowWriter("agreements", {"id", "status", "data"});
  static const MemberWriter* const parties =
      new MemberWriter("agreement_parties", {"agreement_id", "party"});
  const std::string id = IdOf(a.name(), "agreements");
  const std::string data = a.SerializeAsString();
  RETURN_IF_ERROR(row->Write(
      tx, {Param(id), Param(a.status()), Param::Blob(data)}, created));
  RETURN_IF_ERROR(parties->Clear(tx, id, created));
  std::set<std::string> distinct(a.parties().begin(), a.parties().end());
  for (const std::string& party : distinct) {
    RETURN_IF_ERROR(parties->Add(tx, {Param(id), Param(party)}));
  }
  return absl::OkStatus();
}

}  // namespace jalin::registry
