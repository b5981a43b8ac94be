// The sentences that explain a decision, in Bahasa Indonesia and English.
//
// Pure functions; thread-safe.

#ifndef SERVICES_CURATION_DECISION_REASONS_H_
#define SERVICES_CURATION_DECISION_REASONS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "jalin/curation/v1/submission.pb.h"

namespace jalin::curation {

// One criterion named in a reason: its labels and the mean on its scale.
// The labels must outlive the facts.
struct CriterionFact {
  absl::string_view label_id;
  absl::string_view label_en;
  double mean = 0;
  int32_t max_score = 0;
};

struct ReasonFacts {
  jalin::curation::v1::Decision::Result result =
      jalin::curation::v1::Decision::RESULT_UNSPECIFIED;
  double score = 0;
  int32_t rank = 0;
  int32_t ranked = 0;
  double threshold = 0;
  int32_t quota = 0;
  absl::string_view grade;
  // The score equals the last passed submission's and the tie-break decided.
  bool tied_at_cut = false;
  // Decided again after an appeal.
  bool on_appeal = false;
  CriterionFact strongest;
  CriterionFact weakest;
};

struct Reasons {
  std::string id;
  std::string en;
};

// Called once per decision of a campaign (100,000 times for a large one),
// so it formats numbers by hand rather than with printf-style formatting.
Reasons WriteReasons(const ReasonFacts& facts);

// `x` with two decimals and `separator` before them: "82.50", "82,50".
std::string FormatTwoDecimals(double x, char separator);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_DECISION_REASONS_H_
