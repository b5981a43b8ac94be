// The channeling report of a meeting between two regions (DESIGN §8): every
// cooperation opportunity in both directions, grouped by cluster pair, each
// a line of the meeting's follow-up list in Bahasa Indonesia and English.
//
// Opportunities come from two sources:
//  - listing matches: each listing in one region with its best counterparts
//    in the other (the indexed top-k restricted to that region), the pair
//    scored once whichever side found it;
//  - complementarity: two clusters whose sectors are joined by a supply
//    link (input -> output) with no listing match between them yet.
// The supplying and the buying side are grouped by the owner's cluster (a
// cluster in the listing's region first), or by the owner when it has none.
// Deterministic: the same data gives the same report. With a side thread
// (ReportOptions), the two directions are searched at once, and the lines
// written, on the calling thread and that one.

#ifndef SERVICES_MATCHING_REPORT_CHANNELING_REPORT_H_
#define SERVICES_MATCHING_REPORT_CHANNELING_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/concurrency/side_thread.h"
#include "jalin/matching/v1/channeling.pb.h"
#include "services/matching/index/match_index.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/scoring/weights.h"

namespace jalin::matching {

struct ReportOptions {
  // A regency or city.
  RegionId region_a = kNoRegion;
  // A regency or city, or a province (its regencies other than region_a).
  RegionId region_b = kNoRegion;
  // Most opportunities kept per cluster pair.
  int max_per_pair = 10;
  // Counterparts looked up for every listing.
  int matches_per_listing = 3;
  // Each listing match with its scored, explained Match (the FULL view).
  bool explain_matches = false;
  int64_t now_seconds = 0;
  // Runs half of the search, settling and writing there while the caller
  // runs the other half; null runs all of it on the calling thread. The
  // report is the same either way.
  SideThread* side_thread = nullptr;
};

// A report as it is sent: the wire bytes of a matching.v1.ChannelingReport
// in pieces, whose concatenation is the message, written in field order as
// the generated serializer would.
struct EncodedReport {
  std::vector<std::string> pieces;
  int opportunity_count = 0;

  // Bytes in all pieces.
  size_t ByteSize() const;
  // The pieces joined: the serialized message.
  std::string Bytes() const;
  // The message itself (for tests and tools; a service sends the pieces).
  absl::StatusOr<matching::v1::ChannelingReport> Decode() const;
};

// Reads `index` and `signals` (the caller holds the index's read lock).
EncodedReport GenerateChannelingReport(const MatchIndex& index,
                                       const Signals& signals,
                                       const Weights& weights,
                                       const ReportOptions& options);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_REPORT_CHANNELING_REPORT_H_
