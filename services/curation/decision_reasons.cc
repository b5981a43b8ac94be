#include "services/curation/decision_reasons.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace jalin::curation {
namespace {

using ::jalin::curation::v1::Decision;

// Two decimals with the decimal separator of each language.
std::string En(double x) { return FormatTwoDecimals(x, '.'); }
std::string Id(double x) { return FormatTwoDecimals(x, ','); }

}  // namespace

std::string FormatTwoDecimals(double x, char separator) {
  const int64_t hundredths = std::llround(x * 100);
  const int64_t whole = std::abs(hundredths) / 100;
  const int64_t rest = std::abs(hundredths) % 100;
  std::string out = hundredths < 0 ? "-" : "";
  absl::StrAppend(&out, whole);
  out.push_back(separator);
  out.push_back(static_cast<char>('0' + rest / 10));
  out.push_back(static_cast<char>('0' + rest % 10));
  return out;
}

Reasons WriteReasons(const ReasonFacts& f) {
  Reasons r;
  const std::string rank_id =
      absl::StrCat("peringkat ", f.rank, " dari ", f.ranked);
  const std::string rank_en = absl::StrCat("rank ", f.rank, " of ", f.ranked);
  const std::string appeal_id = f.on_appeal ? "Setelah banding: " : "";
  const std::string appeal_en = f.on_appeal ? "After appeal: " : "";
  switch (f.result) {
    case Decision::PASSED:
      r.id = absl::StrCat(appeal_id, "Lulus dengan nilai ", f.grade, ": skor ",
                          Id(f.score), " dari 100 (", rank_id,
                          ") mencapai ambang ", Id(f.threshold),
                          " dan masuk kuota ", f.quota, ".");
      r.en = absl::StrCat(appeal_en, "Passed with grade ", f.grade, ": score ",
                          En(f.score), " of 100 (", rank_en,
                          ") reaches the threshold ", En(f.threshold),
                          " and is within the quota of ", f.quota, ".");
      break;
    case Decision::WAITLISTED:
      r.id = absl::StrCat(appeal_id, "Daftar tunggu: skor ", Id(f.score), " (",
                          rank_id, ") mencapai ambang ", Id(f.threshold),
                          ", tetapi kuota ", f.quota,
                          " sudah terisi oleh peringkat di atasnya.");
      r.en = absl::StrCat(appeal_en, "Waitlisted: score ", En(f.score), " (",
                          rank_en, ") reaches the threshold ", En(f.threshold),
                          ", but the quota of ", f.quota,
                          " is filled by higher ranks.");
      if (f.tied_at_cut) {
        absl::StrAppend(&r.id,
                        " Skornya sama dengan peserta terakhir yang lulus; "
                        "urutan ditentukan oleh kriteria berbobot terbesar.");
        absl::StrAppend(&r.en,
                        " Its score ties with the last passed submission; "
                        "the heaviest criteria decided the order.");
      }
      break;
    default:
      r.id = absl::StrCat(appeal_id, "Tidak lulus: skor ", Id(f.score), " (",
                          rank_id, ") di bawah ambang ", Id(f.threshold), ".");
      r.en = absl::StrCat(appeal_en, "Not passed: score ", En(f.score), " (",
                          rank_en, ") is below the threshold ", En(f.threshold),
                          ".");
      break;
  }
  absl::StrAppend(&r.id, " Terkuat: ", f.strongest.label_id, " (",
                  Id(f.strongest.mean), " dari ", f.strongest.max_score,
                  "); terlemah: ", f.weakest.label_id, " (", Id(f.weakest.mean),
                  " dari ", f.weakest.max_score, ").");
  absl::StrAppend(&r.en, " Strongest: ", f.strongest.label_en, " (",
                  En(f.strongest.mean), " of ", f.strongest.max_score,
                  "); weakest: ", f.weakest.label_en, " (", En(f.weakest.mean),
                  " of ", f.weakest.max_score, ").");
  return r;
}

}  // namespace jalin::curation
