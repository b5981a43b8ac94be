#include "services/registry/list_api.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/status/status_macros.h"
#include "common/storage/index_hint.h"
#include "common/validation/validators.h"
#include "services/registry/access.h"
#include "services/registry/list_query.h"
#include "services/registry/time_util.h"
#include "services/registry/validation.h"

namespace jalin::registry {
namespace {

namespace tv1 = jalin::type::v1;

// An enum filter: unset means "any"; an unknown value is a violation.
template <typename IsValid>
void WhereEnum(ListQuery& q, FieldViolations& v, absl::string_view field,
               absl::string_view condition, int value, IsValid is_valid) {
  if (value == 0) return;
  if (!is_valid(value)) {
    v.Add(std::string(field), absl::StrCat("unknown value ", value));
    return;
  }
  q.Where(condition, {int64_t{value}});
}

// A bit-set column holding `value`.
template <typename IsValid>
void WhereBit(ListQuery& q, FieldViolations& v, absl::string_view field,
              absl::string_view column, int value, IsValid is_valid) {
  if (value == 0) return;
  if (!is_valid(value)) {
    v.Add(std::string(field), absl::StrCat("unknown value ", value));
    return;
  }
  q.Where(absl::StrCat("(", column, " & ?) != 0"), {int64_t{1} << value});
}

// A category filter: the category and its descendants.
void WhereCategory(ListQuery& q, FieldViolations& v, absl::string_view field,
                   absl::string_view category, const TaxonomyData& taxonomy,
                   absl::string_view condition) {
  if (category.empty()) return;
  const size_t before = v.size();
  CheckCategoryName(v, field, category, taxonomy);
  if (v.size() != before) return;
  q.WhereIn(condition, taxonomy.SelfAndDescendants(category));
}

// A filter naming a record of `collection`.
std::string NameFilter(FieldViolations& v, absl::string_view field,
                       absl::string_view name, absl::string_view collection) {
  if (name.empty()) return "";
  std::string id = IdOf(name, collection);
  if (id.empty()) {
    v.Add(std::string(field), absl::StrCat("must be a name in ", collection,
                                           " (", collection, "/{id})"));
  }
  return id;
}

// Reads the page and appends the records, redacted for `p`, to `out`.
template <typename T, typename Request, typename Response>
absl::Status Page(const ApiDeps& deps, const auth::Principal& p,
                  const ListQuery& q, const FieldViolations& v, int page_size,
                  const Request& req,
                  google::protobuf::RepeatedPtrField<T>* out, Response* resp) {
  // A bad page token is named with every bad filter.
  FieldViolations all = v;
  all.AddFrom(
      api::DecodePageToken(req.page_token(), QueryFingerprint(req)).status(),
      "page_token");
  RETURN_IF_ERROR(all.ToStatus("invalid request"));
  int32_t total = 0;
  RETURN_IF_ERROR(ReadPage<T>(
      *deps.db, q, req, page_size, req.page_token(),
      [&](T record) {
        RedactFor(p, &record);
        *out->Add() = std::move(record);
      },
      resp->mutable_next_page_token(), &total));
  resp->set_total_size(total);
  return absl::OkStatus();
}

}  // namespace

absl::Status ListApi::Clusters(const auth::Principal& p,
                               const v1::ListClustersRequest& req,
                               v1::ListClustersResponse* resp) const {
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  const auto taxonomy = deps_->taxonomy->Get();
  ListQuery q("clusters");
  q.WhereRegion("region", req.region(), *deps_->write.regions, v);
  WhereCategory(q, v, "sector", req.sector(), *taxonomy,
                "t.sector IN ({values})");
  WhereBit(q, v, "role", "t.roles", req.role(), v1::ValueChainRole_IsValid);
  WhereEnum(q, v, "verification_state", "t.verification = ?",
            req.verification_state(), v1::VerificationState_IsValid);
  return Page(*deps_, p, q, v, size, req, resp->mutable_clusters(), resp);
}

absl::Status ListApi::Enterprises(const auth::Principal& p,
                                  const v1::ListEnterprisesRequest& req,
                                  v1::ListEnterprisesResponse* resp) const {
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  const auto taxonomy = deps_->taxonomy->Get();
  ListQuery q("enterprises");
  q.WhereRegion("region", req.region(), *deps_->write.regions, v,
                /*narrowed=*/!req.nib().empty() || !req.cluster().empty());
  if (std::string cluster = NameFilter(v, "cluster", req.cluster(), "clusters");
      !cluster.empty()) {
    q.Where(
        "t.id IN (SELECT enterprise_id FROM enterprise_clusters "
        "WHERE cluster_id = ?)",
        {cluster});
  }
  WhereCategory(q, v, "category", req.category(), *taxonomy,
                "t.id IN (SELECT enterprise_id FROM enterprise_categories "
                "WHERE category IN ({values}))");
  WhereEnum(q, v, "scale", "t.scale = ?", req.scale(), v1::Scale_IsValid);
  if (req.certification() != 0) {
    if (!tv1::CertificationKind_IsValid(req.certification())) {
      v.Add("certification", "unknown value");
    } else {
      q.Where(
          "t.id IN (SELECT enterprise_id FROM enterprise_certifications "
          "WHERE kind = ? AND (expire_day IS NULL OR expire_day >= ?))",
          {int64_t{req.certification()}, DayNumber(deps_->clock->Now())});
    }
  }
  WhereEnum(q, v, "verification_state", "t.verification = ?",
            req.verification_state(), v1::VerificationState_IsValid);
  if (!req.nib().empty()) {
    if (!validation::IsNib(req.nib())) {
      v.Add("nib", "must be 13 digits");
    } else {
      q.Where("t.nib = ?", {req.nib()});
    }
  }
  return Page(*deps_, p, q, v, size, req, resp->mutable_enterprises(), resp);
}

absl::Status ListApi::Partners(const auth::Principal& p,
                               const v1::ListPartnersRequest& req,
                               v1::ListPartnersResponse* resp) const {
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  const auto taxonomy = deps_->taxonomy->Get();
  ListQuery q("partners");
  q.WhereRegion("region", req.region(), *deps_->write.regions, v);
  WhereEnum(q, v, "kind", "t.kind = ?", req.kind(), v1::Partner::Kind_IsValid);
  WhereCategory(q, v, "category", req.category(), *taxonomy,
                "t.id IN (SELECT partner_id FROM partner_categories "
                "WHERE category IN ({values}))");
  return Page(*deps_, p, q, v, size, req, resp->mutable_partners(), resp);
}

absl::Status ListApi::Listings(const auth::Principal& p,
                               const v1::ListListingsRequest& req,
                               v1::ListListingsResponse* resp) const {
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  const auto taxonomy = deps_->taxonomy->Get();
  ListQuery q("listings");
  // An owner or a cluster names a few listings: region and category terms
  // stay out of SQLite's index choice (see ListQuery::WhereRegion).
  const bool narrowed = !req.owner().empty() || !req.cluster().empty();
  q.WhereRegion("region", req.region(), *deps_->write.regions, v, narrowed);
  if (!req.owner().empty()) {
    if (IdOf(req.owner(), "clusters").empty() &&
        IdOf(req.owner(), "enterprises").empty() &&
        IdOf(req.owner(), "partners").empty()) {
      v.Add("owner", "must name a cluster, an enterprise or a partner");
    } else {
      q.Where("t.owner = ?", {req.owner()});
    }
  }
  if (std::string cluster = NameFilter(v, "cluster", req.cluster(), "clusters");
      !cluster.empty()) {
    q.Where(
        "t.id IN (SELECT listing_id FROM listing_clusters "
        "WHERE cluster_id = ?)",
        {cluster});
  }
  WhereCategory(
      q, v, "category", req.category(), *taxonomy,
      absl::StrCat(storage::Column("t.category", !narrowed), " IN ({values})"));
  WhereEnum(q, v, "kind", "t.kind = ?", req.kind(), v1::Listing::Kind_IsValid);
  WhereEnum(q, v, "type", "t.type = ?", req.type(), v1::CategoryKind_IsValid);
  WhereEnum(q, v, "status", "t.status = ?", req.status(),
            v1::Listing::Status_IsValid);
  WhereBit(q, v, "certification", "t.certifications", req.certification(),
           tv1::CertificationKind_IsValid);
  if (req.verified_only()) q.Where("t.verified = 1");
  return Page(*deps_, p, q, v, size, req, resp->mutable_listings(), resp);
}

absl::Status ListApi::Agreements(const auth::Principal& p,
                                 const v1::ListAgreementsRequest& req,
                                 v1::ListAgreementsResponse* resp) const {
  FieldViolations v;
  const int size = api::PageSize(req.page_size(), v);
  ListQuery q("agreements");
  if (absl::StartsWith(req.party(), "regions/")) {
    CheckRegionName(v, "party", req.party(), *deps_->write.regions, false);
  } else if (!req.party().empty() &&
             !api::IsValidId(IdOf(req.party(), "partners"))) {
    v.Add("party",
          "must be a region (regions/33.13) or a partner name "
          "(partners/{id})");
  }
  if (!req.party().empty()) {
    q.Where(
        "t.id IN (SELECT agreement_id FROM agreement_parties WHERE party = ?)",
        {req.party()});
  }
  WhereEnum(q, v, "status", "t.status = ?", req.status(),
            v1::Agreement::Status_IsValid);
  return Page(*deps_, p, q, v, size, req, resp->mutable_agreements(), resp);
}

}  // namespace jalin::registry
