// Proposals in the service's own store (table matching_proposals): the
// Proposal message plus the columns that lists, the funnel, the expiry
// sweep and the feedback signals filter on. Every function works inside a
// transaction the caller holds, so that a change and its outbox event
// commit together.

#ifndef SERVICES_MATCHING_PROPOSALS_PROPOSAL_STORE_H_
#define SERVICES_MATCHING_PROPOSALS_PROPOSAL_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/matching/v1/matching_service.pb.h"
#include "jalin/matching/v1/proposal.pb.h"
#include "services/matching/scoring/signals.h"

namespace jalin::matching {

struct StoredProposal {
  matching::v1::Proposal proposal;
  // Category groups of the offer and the need when proposed (feedback key).
  std::string offer_group;
  std::string need_group;
};

// Who may see what in lists and the funnel.
struct ProposalScope {
  // Admins and services see everything.
  bool global = false;
  // Members: proposals where this owner is a party.
  std::string party;
  // Others: proposals with a side in one of these regions ("33", "33.13").
  std::vector<std::string> regions;
};

struct ProposalFilter {
  // "33" (a province) or "33.13"; empty for all.
  std::string region;
  // An owner that is supplier or buyer; empty for all.
  std::string party;
  matching::v1::Proposal::State state =
      matching::v1::Proposal::STATE_UNSPECIFIED;
  // Created in [start, end).
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();
};

// Stateless; all functions are thread-safe given distinct transactions.
class ProposalStore {
 public:
  // Creates the table (component "proposals").
  static absl::Status Migrate(storage::Database& db);

  // ALREADY_EXISTS when an open proposal (proposed, partly accepted or
  // agreed) joins the same offer and need.
  static absl::Status Insert(storage::Transaction& tx,
                             const StoredProposal& p);
  // Writes the proposal's state and message.
  static absl::Status Update(storage::Transaction& tx,
                             const matching::v1::Proposal& p);
  // By id ("01J..."); empty when none.
  static absl::StatusOr<std::optional<StoredProposal>> Get(
      storage::Transaction& tx, absl::string_view id);
  static absl::StatusOr<bool> OpenPairExists(storage::Transaction& tx,
                                             absl::string_view offer,
                                             absl::string_view need);
  static absl::StatusOr<bool> PairEverProposed(storage::Transaction& tx,
                                               absl::string_view offer,
                                               absl::string_view need);
  // Unanswered proposals whose expire_time is at or before `now`, oldest
  // deadline first.
  static absl::StatusOr<std::vector<StoredProposal>> Due(
      storage::Transaction& tx, absl::Time now, int limit);

  // Newest first, after `after_id` (exclusive; empty for the first page).
  // `*total` receives the number matching without paging.
  static absl::StatusOr<std::vector<matching::v1::Proposal>> List(
      storage::Transaction& tx, const ProposalScope& scope,
      const ProposalFilter& filter, absl::string_view after_id, int limit,
      int64_t* total);

  // The sum of values agreed is exact; past the int64 range (only values
  // stored before outcomes were bounded can get there) it is held at the
  // largest int64.
  static absl::StatusOr<matching::v1::ProposalFunnel> Funnel(
      storage::Transaction& tx, const ProposalScope& scope,
      const ProposalFilter& filter);

  // Feedback counts and completed deals of every stored proposal.
  static absl::Status LoadSignals(storage::Transaction& tx, Signals* signals);
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_PROPOSALS_PROPOSAL_STORE_H_
