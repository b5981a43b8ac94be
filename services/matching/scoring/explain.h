// Turns a scored candidate into what people read: a Match with each
// component's value, weight, contribution and a sentence in Bahasa
// Indonesia and English, and a one-sentence reason naming the strongest
// components.

#ifndef SERVICES_MATCHING_SCORING_EXPLAIN_H_
#define SERVICES_MATCHING_SCORING_EXPLAIN_H_

#include <string>

#include "absl/strings/string_view.h"
#include "jalin/matching/v1/match.pb.h"
#include "services/matching/scoring/matcher.h"

namespace jalin::matching {

// The Match for `c`, a counterpart found for `q.query`. `c.slot` is the
// counterpart's slot.
matching::v1::Match ExplainMatch(const QueryContext& q, const Candidate& c);

// "2 ton/bulan" and "2 ton/month"; empty when no amount.
std::string QuantityText(double amount, int unit, int period, bool indonesian);
// Appends QuantityText(...) to `out`.
void AppendQuantity(double amount, int unit, int period, bool indonesian,
                    std::string* out);
// Appends the words after a quantity's number: " ton/bulan".
void AppendUnitWords(int unit, int period, bool indonesian, std::string* out);

// Appends `x` as printf's "%.<decimals>f" would print it.
void AppendFixed(double x, int decimals, std::string* out);
// Appends "2", "2.5", "0.25": at most two decimals, no trailing zeros.
void AppendNumber(double x, std::string* out);

// The owner's display name, or its resource name.
absl::string_view OwnerLabel(const MatchIndex& index, uint32_t owner);

// "Kabupaten Karanganyar".
const std::string& RegionLabel(const MatchIndex& index, RegionId region);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_EXPLAIN_H_
