#include "services/matching/service/match_queries.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/policy.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/matching/report/channeling_report.h"
#include "services/matching/request_checks.h"
#include "services/matching/scoring/explain.h"
#include "services/matching/scoring/matcher.h"

namespace jalin::matching {
namespace {

using google::protobuf::util::TimeUtil;

uint16_t CertMask(const google::protobuf::RepeatedField<int>& certs) {
  uint16_t mask = 0;
  for (int c : certs) {
    if (c > 0 && c < 16) mask |= static_cast<uint16_t>(1u << c);
  }
  return mask;
}

// Whether `v` already names `field` (malformed), so that a lookup does not
// name it a second time.
bool Names(const FieldViolations& v, absl::string_view field) {
  for (const auto& fv : v.violations()) {
    if (fv.field() == field) return true;
  }
  return false;
}

// Adds a violation for each well-formed probe field naming something the
// index does not know.
void CheckProbeKnown(const MatchIndex& index, const registry::v1::Listing& p,
                     FieldViolations& v) {
  if (!Names(v, "probe.category") &&
      index.taxonomy().Find(p.category()) == kNoCategory) {
    v.Add("probe.category", "is not a category of the taxonomy");
  }
  if (!Names(v, "probe.region")) {
    const RegionId region = index.grid().Find(p.region());
    if (region == kNoRegion || index.grid().is_province(region)) {
      v.Add("probe.region", "is not a known regency or city");
    }
  }
  if (!p.current_source_region().empty() &&
      !Names(v, "probe.current_source_region") &&
      index.grid().Find(p.current_source_region()) == kNoRegion) {
    v.Add("probe.current_source_region", "is not a known region");
  }
}

// The query side of a probe that passed CheckProbe and CheckProbeKnown;
// `clusters` backs the side's cluster span.
Side ProbeSide(const MatchIndex& index, const registry::v1::Listing& p,
               std::vector<uint32_t>* clusters) {
  Side s;
  s.kind = static_cast<uint8_t>(p.kind());
  s.type = static_cast<uint8_t>(p.type());
  s.category = index.taxonomy().Find(p.category());
  s.region = index.grid().Find(p.region());
  if (!p.current_source_region().empty()) {
    s.source_region = index.grid().Find(p.current_source_region());
  }
  if (!p.owner().empty()) {
    s.owner_key = StableHash(p.owner());
    const uint32_t owner = index.FindOwner(p.owner());
    if (owner != kNoId) {
      absl::Span<const uint32_t> known = index.owner_clusters(owner);
      clusters->assign(known.begin(), known.end());
    }
  }
  for (const std::string& c : p.owner_profile().clusters()) {
    const uint32_t id = index.FindCluster(c);
    if (id != kNoId &&
        std::find(clusters->begin(), clusters->end(), id) == clusters->end()) {
      clusters->push_back(id);
    }
  }
  s.clusters = *clusters;
  s.owner_certs = CertMask(p.owner_profile().certifications());
  s.required_certs = CertMask(p.required_certifications());
  s.continuity = static_cast<uint8_t>(p.continuity());
  s.flags = (p.owner_profile().verified() ? kFlagVerified : 0) |
            (p.owner_profile().curated() ? kFlagCurated : 0);
  s.radius_km = static_cast<float>(p.delivery_radius_km());
  if (s.kind != kNeed) s.source_region = kNoRegion;
  s.amount = Normalize(p.quantity().amount(), p.quantity().unit(),
                       p.quantity().period());
  return s;
}

}  // namespace

MatchQueries::MatchQueries(const LiveIndex* index, const Signals* signals,
                           const Weights* weights, const Clock* clock,
                           QueryLimits limits)
    : index_(index),
      signals_(signals),
      weights_(weights),
      clock_(clock),
      limits_(limits) {}

absl::StatusOr<matching::v1::FindMatchesResponse> MatchQueries::FindMatches(
    const auth::Principal& /*who*/, const matching::v1::FindMatchesRequest& r) {
  FieldViolations v;
  switch (r.query_case()) {
    case matching::v1::FindMatchesRequest::kListing:
      CheckName(v, "listing", r.listing(), "listings", /*required=*/true);
      break;
    case matching::v1::FindMatchesRequest::kProbe:
      CheckProbe(v, "probe", r.probe());
      break;
    default:
      v.Add("query", "set either listing or probe");
  }
  if (r.top_k() < 0) v.Add("top_k", "must not be negative");
  if (r.radius_km() < 0 || !std::isfinite(r.radius_km())) {
    v.Add("radius_km", "must be zero or positive");
  }
  for (int i = 0; i < r.regions_size(); ++i) {
    CheckRegion(v, absl::StrCat("regions[", i, "]"), r.regions(i), true);
  }
  const int k = r.top_k() == 0 ? limits_.default_top_k
                               : std::min(r.top_k(), limits_.max_top_k);
  const bool probe = r.query_case() == matching::v1::FindMatchesRequest::kProbe;

  // What the index does not know is added to the malformed fields, so that
  // every violation comes back in one answer (AIP-193).
  matching::v1::FindMatchesResponse out;
  const int64_t now = absl::ToUnixSeconds(clock_->Now());
  bool read = false;
  absl::Status s = index_->Read([&](const MatchIndex& index) -> absl::Status {
    read = true;
    QueryOptions options;
    options.radius_km = r.radius_km();
    options.now_seconds = now;
    if (probe) CheckProbeKnown(index, r.probe(), v);
    for (int i = 0; i < r.regions_size(); ++i) {
      const RegionId region = index.grid().Find(r.regions(i));
      const std::string field = absl::StrCat("regions[", i, "]");
      if (region == kNoRegion && !Names(v, field)) {
        v.Add(field, "is not a known region");
      }
      options.regions.push_back(region);
    }
    RETURN_IF_ERROR(v.ToStatus("invalid query"));
    std::vector<uint32_t> probe_clusters;
    Side side;
    if (r.query_case() == matching::v1::FindMatchesRequest::kListing) {
      const uint32_t slot = index.FindListing(r.listing());
      if (slot == kNoId) {
        return absl::NotFoundError(
            absl::StrCat("no open listing ", r.listing()));
      }
      side = SideOf(index, slot);
      out.set_listing(r.listing());
    } else {
      side = ProbeSide(index, r.probe(), &probe_clusters);
    }
    Signals::ReadLock lock(*signals_);
    QueryContext q(index, lock, *weights_, side, options);
    const SearchResult result = FindTopK(q, k);
    for (const Candidate& c : result.matches) {
      *out.add_matches() = ExplainMatch(q, c);
    }
    return absl::OkStatus();
  });
  // Without an index, malformed input is still reported as such.
  if (!read) RETURN_IF_ERROR(v.ToStatus("invalid query"));
  RETURN_IF_ERROR(s);
  return out;
}

absl::StatusOr<EncodedReport> MatchQueries::Report(
    const auth::Principal& who,
    const matching::v1::GenerateChannelingReportRequest& r) {
  FieldViolations v;
  CheckRegion(v, "region_a", r.region_a(), true);
  CheckRegion(v, "region_b", r.region_b(), true);
  if (r.max_per_pair() < 0) v.Add("max_per_pair", "must not be negative");
  if (!matching::v1::ReportView_IsValid(r.view())) {
    v.Add("view", "must be BASIC or FULL");
  }
  RETURN_IF_ERROR(v.ToStatus("invalid report request"));
  if (!who.IsGlobal() && !who.CoversRegion(r.region_a()) &&
      !who.CoversRegion(r.region_b())) {
    return auth::PermissionDenied(
        "a channeling report needs one of its regions in your scope");
  }
  EncodedReport out;
  RETURN_IF_ERROR(index_->Read([&](const MatchIndex& index) -> absl::Status {
    const RegionGrid& grid = index.grid();
    ReportOptions options;
    options.region_a = grid.Find(r.region_a());
    options.region_b = grid.Find(r.region_b());
    FieldViolations known;
    if (options.region_a == kNoRegion || grid.is_province(options.region_a)) {
      known.Add("region_a", "is not a known regency or city");
    }
    if (options.region_b == kNoRegion) {
      known.Add("region_b", "is not a known region");
    } else if (options.region_b == options.region_a) {
      known.Add("region_b", "must differ from region_a");
    }
    RETURN_IF_ERROR(known.ToStatus("invalid report request"));
    options.max_per_pair =
        r.max_per_pair() == 0
            ? limits_.default_max_per_pair
            : std::min(r.max_per_pair(), limits_.max_max_per_pair);
    options.matches_per_listing = limits_.report_matches_per_listing;
    options.explain_matches = r.view() == matching::v1::FULL;
    options.now_seconds = absl::ToUnixSeconds(clock_->Now());
    options.side_thread = &report_thread_;
    out = GenerateChannelingReport(index, *signals_, *weights_, options);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<matching::v1::IndexStatus> MatchQueries::Status() const {
  matching::v1::IndexStatus out;
  const IndexInfo info = index_->info();
  absl::Status s = index_->Read([&](const MatchIndex& index) {
    const IndexCounts c = index.counts();
    out.set_listings(c.listings);
    out.set_clusters(c.clusters);
    out.set_sequence(index.sequence());
    out.set_memory_bytes(static_cast<int64_t>(index.MemoryBytes()));
    return absl::OkStatus();
  });
  out.set_ready(s.ok());
  if (s.ok()) {
    *out.mutable_build_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(info.build_time));
    out.set_build_seconds(info.build_seconds);
    out.set_events_applied(info.events_applied);
  }
  return out;
}

}  // namespace jalin::matching
