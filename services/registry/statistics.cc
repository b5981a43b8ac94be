#include "services/registry/statistics.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/registry/record_kinds.h"
#include "services/registry/record_store.h"

namespace jalin::registry {
namespace {

using Dimension = v1::GetStatisticsRequest::Dimension;
using storage::Param;

// The counts of one group, by the key of the group.
using Groups = std::map<std::string, v1::Counts>;

// The region condition on the alias "t", with its parameter.
struct RegionFilter {
  std::string condition = "1 = 1";
  std::string code;

  std::vector<Param> Params() const {
    if (code.empty()) return {};
    return {Param(code)};
  }
};

// Runs `sql` (whose "{where}" becomes the region condition); `row` gets
// each result row.
absl::Status Each(storage::Transaction& tx, const RegionFilter& region,
                  absl::string_view sql,
                  absl::FunctionRef<void(const storage::Row&)> row) {
  const std::string text =
      absl::StrReplaceAll(sql, {{"{where}", region.condition}});
  const std::vector<Param> params = region.Params();
  return tx.Query(text, params, [&](const storage::Row& r) {
    row(r);
    return absl::OkStatus();
  });
}

// The SQL of each count, grouped by `key` (an expression over the table
// aliased "t", with `join` adding membership tables). An empty key counts
// the whole selection.
struct GroupSql {
  std::string enterprises;
  std::string clusters;
  std::string partners;
  std::string listings;
};

GroupSql SqlFor(absl::string_view key, absl::string_view enterprise_join,
                absl::string_view partner_join, absl::string_view listing_join,
                absl::string_view cluster_key) {
  const std::string k = key.empty() ? "''" : std::string(key);
  const std::string ck = cluster_key.empty() ? k : std::string(cluster_key);
  GroupSql g;
  g.enterprises =
      absl::StrCat("SELECT ", k, ", COUNT(DISTINCT t.id) FROM enterprises t ",
                   enterprise_join, " WHERE {where} GROUP BY 1");
  g.clusters = absl::StrCat(
      "SELECT ", ck,
      ", COUNT(*), COALESCE(SUM(t.member_count), 0) FROM clusters t "
      "WHERE {where} GROUP BY 1");
  g.partners =
      absl::StrCat("SELECT ", k, ", COUNT(DISTINCT t.id) FROM partners t ",
                   partner_join, " WHERE {where} GROUP BY 1");
  g.listings = absl::StrCat(
      "SELECT ", k, ", t.kind, COUNT(DISTINCT t.id) FROM listings t ",
      listing_join, " WHERE t.status = ", v1::Listing::OPEN,
      " AND {where} GROUP BY 1, 2");
  return g;
}

// Which of the counts a dimension has.
struct Parts {
  bool clusters = true;
  bool partners = true;
  bool listings = true;
};

absl::Status Count(storage::Transaction& tx, const RegionFilter& region,
                   const GroupSql& sql, Parts parts, Groups& groups) {
  RETURN_IF_ERROR(Each(tx, region, sql.enterprises, [&](const storage::Row& r) {
    groups[std::string(r.Text(0))].set_enterprises(r.Int(1));
  }));
  if (parts.clusters) {
    RETURN_IF_ERROR(Each(tx, region, sql.clusters, [&](const storage::Row& r) {
      v1::Counts& c = groups[std::string(r.Text(0))];
      c.set_clusters(r.Int(1));
      c.set_cluster_members(r.Int(2));
    }));
  }
  if (parts.partners) {
    RETURN_IF_ERROR(Each(tx, region, sql.partners, [&](const storage::Row& r) {
      groups[std::string(r.Text(0))].set_partners(r.Int(1));
    }));
  }
  if (parts.listings) {
    RETURN_IF_ERROR(Each(tx, region, sql.listings, [&](const storage::Row& r) {
      v1::Counts& c = groups[std::string(r.Text(0))];
      if (r.Int(1) == v1::Listing::OFFER) c.set_open_offers(r.Int(2));
      if (r.Int(1) == v1::Listing::NEED) c.set_open_needs(r.Int(2));
    }));
  }
  return absl::OkStatus();
}

std::string ScaleName(absl::string_view number) {
  int n = 0;
  if (!absl::SimpleAtoi(number, &n) || !v1::Scale_IsValid(n)) return "";
  return v1::Scale_Name(static_cast<v1::Scale>(n));
}

}  // namespace

absl::Status StatisticsApi::Get(const v1::GetStatisticsRequest& req,
                                v1::Statistics* out) const {
  const regions::RegionTable& table = *deps_->write.regions;
  FieldViolations v;
  RegionFilter region;
  if (!req.region().empty()) {
    const regions::RegionInfo* info = absl::StartsWith(req.region(), "regions/")
                                          ? table.Find(req.region())
                                          : nullptr;
    if (info == nullptr) {
      v.Add("region", "must be a known region (regions/33 or regions/33.13)");
    } else {
      region.code = info->code;
      region.condition = info->level == regions::Level::kProvince
                             ? "t.province = ?"
                             : "t.region = ?";
    }
  }
  // Breakdowns in the order asked for, each once.
  std::vector<int> dimensions;
  std::set<int> seen;
  for (int i = 0; i < req.group_by_size(); ++i) {
    const int d = req.group_by(i);
    if (d == 0 || !v1::GetStatisticsRequest::Dimension_IsValid(d)) {
      v.Add(absl::StrCat("group_by[", i, "]"), "unknown dimension");
    }
    if (seen.insert(d).second) dimensions.push_back(d);
  }
  RETURN_IF_ERROR(v.ToStatus("invalid statistics request"));

  const auto taxonomy = deps_->taxonomy->Get();
  v1::Statistics stats;
  RETURN_IF_ERROR(deps_->db->Read([&](storage::Transaction& tx)
                                      -> absl::Status {
    Groups total;
    RETURN_IF_ERROR(
        Count(tx, region, SqlFor("", "", "", "", ""), Parts{}, total));
    *stats.mutable_total() = total[""];
    for (int d : dimensions) {
      Groups groups;
      v1::Breakdown* b = stats.add_breakdowns();
      b->set_dimension(static_cast<Dimension>(d));
      switch (d) {
        case v1::GetStatisticsRequest::PROVINCE:
          RETURN_IF_ERROR(Count(tx, region,
                                SqlFor("t.province", "", "", "", ""), Parts{},
                                groups));
          break;
        case v1::GetStatisticsRequest::REGION:
          RETURN_IF_ERROR(Count(tx, region, SqlFor("t.region", "", "", "", ""),
                                Parts{}, groups));
          break;
        case v1::GetStatisticsRequest::SCALE:
          RETURN_IF_ERROR(Count(tx, region,
                                SqlFor("CAST(t.scale AS TEXT)", "", "", "", ""),
                                Parts{false, false, false}, groups));
          break;
        case v1::GetStatisticsRequest::CATEGORY:
          RETURN_IF_ERROR(Count(
              tx, region,
              SqlFor("m.root",
                     "JOIN enterprise_categories m ON m.enterprise_id = t.id",
                     "JOIN partner_categories m ON m.partner_id = t.id", "",
                     "t.sector_root"),
              Parts{true, true, false}, groups));
          // Listings by their own category's root.
          RETURN_IF_ERROR(Each(
              tx, region,
              absl::StrCat("SELECT t.category_root, t.kind, COUNT(*) FROM "
                           "listings t WHERE t.status = ",
                           v1::Listing::OPEN, " AND {where} GROUP BY 1, 2"),
              [&](const storage::Row& r) {
                v1::Counts& c = groups[std::string(r.Text(0))];
                if (r.Int(1) == v1::Listing::OFFER) c.set_open_offers(r.Int(2));
                if (r.Int(1) == v1::Listing::NEED) c.set_open_needs(r.Int(2));
              }));
          break;
        case v1::GetStatisticsRequest::CLUSTER:
          RETURN_IF_ERROR(Count(
              tx, region,
              SqlFor("m.cluster_id",
                     "JOIN enterprise_clusters m ON m.enterprise_id = t.id", "",
                     "JOIN listing_clusters m ON m.listing_id = t.id", "t.id"),
              Parts{true, false, true}, groups));
          break;
      }
      for (auto& [key, counts] : groups) {
        v1::Breakdown::Bucket* bucket = b->add_buckets();
        *bucket->mutable_counts() = counts;
        switch (d) {
          case v1::GetStatisticsRequest::PROVINCE:
          case v1::GetStatisticsRequest::REGION: {
            bucket->set_key(absl::StrCat("regions/", key));
            if (const auto* info = table.Find(key)) {
              bucket->set_display_name(info->name);
            }
            break;
          }
          case v1::GetStatisticsRequest::SCALE: {
            const std::string name = ScaleName(key);
            bucket->set_key(name.empty() ? key : name);
            std::string display = absl::AsciiStrToLower(name);
            if (!display.empty()) display[0] = absl::ascii_toupper(display[0]);
            bucket->set_display_name(display);
            break;
          }
          case v1::GetStatisticsRequest::CATEGORY: {
            bucket->set_key(absl::StrCat("categories/", key));
            if (const v1::Category* c = taxonomy->Find(key)) {
              bucket->set_display_name(c->label_id());
            }
            break;
          }
          case v1::GetStatisticsRequest::CLUSTER: {
            bucket->set_key(absl::StrCat("clusters/", key));
            ASSIGN_OR_RETURN(std::optional<v1::Cluster> c,
                             LoadRecord<v1::Cluster>(tx, key));
            if (c) bucket->set_display_name(c->display_name());
            break;
          }
        }
      }
    }
    return absl::OkStatus();
  }));
  *out = std::move(stats);
  return absl::OkStatus();
}

}  // namespace jalin::registry
