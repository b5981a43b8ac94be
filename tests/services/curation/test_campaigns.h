// Campaigns and rubrics shared by the curation tests.

#ifndef TESTS_SERVICES_CURATION_TEST_CAMPAIGNS_H_
#define TESTS_SERVICES_CURATION_TEST_CAMPAIGNS_H_

#include <string>

#include "absl/time/time.h"
#include "common/proto_time.h"
#include "jalin/curation/v1/campaign.pb.h"

namespace jalin::curation::testing {

// The five criteria of the issue, weights 30/20/20/15/15, scores 1-5; bands
// A from 85, B from 70, C from `threshold`.
inline jalin::curation::v1::Campaign StandardCampaign(absl::Time start,
                                                      absl::Time end,
                                                      int quota = 600,
                                                      double threshold = 50,
                                                      int reviewers = 3) {
  jalin::curation::v1::Campaign c;
  c.set_display_name("Kurasi Produk Unggulan Jawa Tengah 2026");
  c.set_region("regions/33");
  ToProtoTime(start, c.mutable_submission_start_time());
  ToProtoTime(end, c.mutable_submission_end_time());
  c.set_quota(quota);
  c.set_pass_threshold(threshold);
  c.set_reviewers_per_submission(reviewers);
  struct Spec {
    const char* id;
    const char* label_id;
    const char* label_en;
    double weight;
  };
  for (const Spec& s : {
           Spec{"quality", "Kualitas produk", "Product quality", 30},
           Spec{"packaging", "Kemasan", "Packaging", 20},
           Spec{"legality", "Legalitas dan sertifikasi",
                "Legality and certification", 20},
           Spec{"market", "Kesiapan pasar", "Market readiness", 15},
           Spec{"digital", "Kehadiran digital", "Digital presence", 15},
       }) {
    auto* cr = c.add_criteria();
    cr->set_id(s.id);
    cr->set_label_id(s.label_id);
    cr->set_label_en(s.label_en);
    cr->set_weight(s.weight);
    cr->set_min_score(1);
    cr->set_max_score(5);
  }
  for (auto [grade, min] :
       {std::pair<const char*, double>{"A", 85}, {"B", 70}, {"C", threshold}}) {
    auto* b = c.add_grade_bands();
    b->set_grade(grade);
    b->set_min_score(min);
  }
  c.set_appeal_window_days(14);
  c.set_validity_days(365);
  return c;
}

}  // namespace jalin::curation::testing

#endif  // TESTS_SERVICES_CURATION_TEST_CAMPAIGNS_H_
