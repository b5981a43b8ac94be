#include "services/curation/campaign_rules.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/resource_name.h"
#include "common/proto_time.h"
#include "common/validation/validators.h"

namespace jalin::curation {
namespace {

using ::jalin::curation::v1::Campaign;

void ValidateCriteria(const Campaign& c, FieldViolations& v,
                      const std::string& prefix) {
  const std::string field = absl::StrCat(prefix, ".criteria");
  if (c.criteria_size() == 0) {
    v.Add(field, "at least one criterion is required");
    return;
  }
  if (c.criteria_size() > kMaxCriteria) {
    v.Add(field, absl::StrCat("at most ", kMaxCriteria, " criteria"));
  }
  absl::flat_hash_set<std::string> ids;
  double sum = 0;
  bool weights_valid = true;
  for (int i = 0; i < c.criteria_size(); ++i) {
    const auto& cr = c.criteria(i);
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (!api::IsValidId(cr.id()) || cr.id().size() > 32) {
      v.Add(f + ".id",
            "must be 1-32 lower-case letters, digits or '-', e.g. "
            "\"packaging\"");
    } else if (!ids.insert(cr.id()).second) {
      v.Add(f + ".id", absl::StrCat("\"", cr.id(), "\" appears twice"));
    }
    validation::CheckText(v, f + ".label_id", cr.label_id(), 100, true);
    validation::CheckText(v, f + ".label_en", cr.label_en(), 100, true);
    if (!(cr.weight() > 0) || !std::isfinite(cr.weight())) {
      v.Add(f + ".weight", "must be greater than 0");
      weights_valid = false;
    } else {
      sum += cr.weight();
    }
    if (cr.min_score() < 0 || cr.max_score() > 100 ||
        cr.min_score() >= cr.max_score()) {
      v.Add(f + ".max_score",
            absl::StrCat("the scale [", cr.min_score(), ", ", cr.max_score(),
                         "] must satisfy 0 <= min_score < max_score <= 100"));
    }
  }
  if (weights_valid && std::fabs(sum - 100.0) > kWeightTolerance) {
    v.Add(field,
          absl::StrFormat("weights sum to %g; they must sum to 100", sum));
  }
}

void ValidateGradeBands(const Campaign& c, FieldViolations& v,
                        const std::string& prefix) {
  const std::string field = absl::StrCat(prefix, ".grade_bands");
  if (c.grade_bands_size() == 0) {
    v.Add(field, "at least one grade band is required, e.g. A from 85");
    return;
  }
  if (c.grade_bands_size() > kMaxGradeBands) {
    v.Add(field, absl::StrCat("at most ", kMaxGradeBands, " bands"));
  }
  absl::flat_hash_set<std::string> grades;
  for (int i = 0; i < c.grade_bands_size(); ++i) {
    const auto& b = c.grade_bands(i);
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (validation::CheckText(v, f + ".grade", b.grade(), 8, true) &&
        !grades.insert(b.grade()).second) {
      v.Add(f + ".grade", absl::StrCat("\"", b.grade(), "\" appears twice"));
    }
    if (!(b.min_score() >= 0 && b.min_score() <= 100)) {
      v.Add(f + ".min_score", "must lie in [0, 100]");
    } else if (i > 0 && !(b.min_score() < c.grade_bands(i - 1).min_score())) {
      v.Add(f + ".min_score",
            "bands are listed best first: each min_score must be below the "
            "one before");
    }
  }
  const double lowest = c.grade_bands(c.grade_bands_size() - 1).min_score();
  if (lowest > c.pass_threshold()) {
    v.Add(absl::StrCat(field, "[", c.grade_bands_size() - 1, "].min_score"),
          absl::StrFormat("the lowest band starts at %g, above the pass "
                          "threshold %g: a passed submission would get no "
                          "grade",
                          lowest, c.pass_threshold()));
  }
}

}  // namespace

void ApplyCampaignDefaults(Campaign& c) {
  if (c.reviewers_per_submission() == 0) {
    c.set_reviewers_per_submission(kDefaultReviewersPerSubmission);
  }
  for (auto& cr : *c.mutable_criteria()) {
    if (cr.min_score() == 0 && cr.max_score() == 0) {
      cr.set_min_score(kDefaultMinScore);
      cr.set_max_score(kDefaultMaxScore);
    }
  }
  if (c.validity_days() == 0) c.set_validity_days(kDefaultValidityDays);
}

void ValidateCampaign(const Campaign& c, const regions::RegionTable& regions,
                      FieldViolations& v, absl::string_view prefix_view) {
  const std::string prefix(prefix_view);
  validation::CheckText(v, prefix + ".display_name", c.display_name(), 200,
                        true);
  if (c.region().empty()) {
    v.Add(prefix + ".region", "is required, e.g. \"regions/33.13\"");
  } else if (!absl::StartsWith(c.region(), "regions/") ||
             regions.Find(c.region()) == nullptr) {
    v.Add(prefix + ".region",
          absl::StrCat("\"", api::Abbreviate(c.region()),
                       "\" is not a known province or kabupaten/kota; use "
                       "\"regions/<code>\""));
  }
  const absl::Time start = FromProtoTime(c.submission_start_time());
  const absl::Time end = FromProtoTime(c.submission_end_time());
  if (start == absl::InfinitePast()) {
    v.Add(prefix + ".submission_start_time", "is required");
  }
  if (end == absl::InfinitePast()) {
    v.Add(prefix + ".submission_end_time", "is required");
  } else if (start != absl::InfinitePast() && end <= start) {
    v.Add(prefix + ".submission_end_time",
          "must be after submission_start_time");
  }
  if (c.quota() < 1) v.Add(prefix + ".quota", "must be at least 1");
  if (!(c.pass_threshold() >= 0 && c.pass_threshold() <= 100)) {
    v.Add(prefix + ".pass_threshold", "must lie in [0, 100]");
  }
  if (c.reviewers_per_submission() < 1 ||
      c.reviewers_per_submission() > kMaxReviewersPerSubmission) {
    v.Add(prefix + ".reviewers_per_submission",
          absl::StrCat("must lie in [1, ", kMaxReviewersPerSubmission, "]"));
  }
  ValidateCriteria(c, v, prefix);
  ValidateGradeBands(c, v, prefix);
  if (c.appeal_window_days() < 0 ||
      c.appeal_window_days() > kMaxAppealWindowDays) {
    v.Add(prefix + ".appeal_window_days",
          absl::StrCat("must lie in [0, ", kMaxAppealWindowDays,
                       "]; 0 allows no appeals"));
  }
  if (c.validity_days() < 1 || c.validity_days() > kMaxValidityDays) {
    v.Add(prefix + ".validity_days",
          absl::StrCat("must lie in [1, ", kMaxValidityDays, "]"));
  }
}

void ValidateReviewScores(
    const Campaign& c,
    const google::protobuf::Map<std::string, int32_t>& scores,
    FieldViolations& v, absl::string_view prefix) {
  for (const auto& cr : c.criteria()) {
    const std::string field = absl::StrCat(prefix, "[", cr.id(), "]");
    auto it = scores.find(cr.id());
    if (it == scores.end()) {
      v.Add(field, absl::StrCat("is required: score ", cr.label_en(), " from ",
                                cr.min_score(), " to ", cr.max_score()));
    } else if (it->second < cr.min_score() || it->second > cr.max_score()) {
      v.Add(field,
            absl::StrCat(it->second, " is outside the range ", cr.min_score(),
                         "-", cr.max_score(), " of ", cr.label_en()));
    }
  }
  // Unknown criteria, in a stable order.
  std::vector<std::string> unknown;
  for (const auto& [id, score] : scores) {
    bool known = false;
    for (const auto& cr : c.criteria()) known = known || cr.id() == id;
    if (!known) unknown.push_back(id);
  }
  std::sort(unknown.begin(), unknown.end());
  for (const auto& id : unknown) {
    v.Add(absl::StrCat(prefix, "[", api::Abbreviate(id), "]"),
          "is not a criterion of this campaign");
  }
}

absl::string_view StateName(Campaign::State state) {
  switch (state) {
    case Campaign::DRAFT:
      return "DRAFT";
    case Campaign::OPEN:
      return "OPEN";
    case Campaign::CLOSED:
      return "CLOSED";
    case Campaign::DECIDED:
      return "DECIDED";
    case Campaign::PUBLISHED:
      return "PUBLISHED";
    default:
      return "STATE_UNSPECIFIED";
  }
}

absl::Status RequireState(const Campaign& c, Campaign::State required,
                          absl::string_view action) {
  if (c.state() == required) return absl::OkStatus();
  return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                           c.name(), " is ", StateName(c.state()), "; ", action,
                           " needs it ", StateName(required))),
                       "CAMPAIGN_STATE",
                       {{"campaign", c.name()},
                        {"state", std::string(StateName(c.state()))},
                        {"required_state", std::string(StateName(required))}});
}

bool InSubmissionWindow(const Campaign& c, absl::Time now) {
  return now >= FromProtoTime(c.submission_start_time()) &&
         now < FromProtoTime(c.submission_end_time());
}

absl::Time AppealDeadline(const Campaign& c) {
  const absl::Time published = FromProtoTime(c.publish_time());
  if (published == absl::InfinitePast() || c.appeal_window_days() <= 0) {
    return absl::InfinitePast();
  }
  return published + absl::Hours(24) * c.appeal_window_days();
}

}  // namespace jalin::curation
