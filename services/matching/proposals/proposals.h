// The proposal lifecycle (DESIGN §8): a facilitator, or the automatic rule,
// turns a match into a proposal; each side accepts or declines; both
// accepting makes it agreed; unanswered proposals expire; an agreed one
// records its outcome. Every transition is written together with its
// outbox event (jalin.matching.proposal.*) in one transaction, and
// mutating calls are idempotent by request_id (AIP-155). Agreements,
// declines and completed deals feed the scorer's signals once committed.
//
// Who may do what:
//  - create: admins; facilitators of the supplier's or the buyer's region;
//  - answer: members of the side's owner; facilitators of the side's region;
//    admins (naming the side);
//  - record the outcome: members of either side, facilitators of either
//    region, admins;
//  - read (get, list, funnel): admins and services everything; members their
//    own proposals; other roles those with a side in their regions.
// A caller who may not see a proposal gets PERMISSION_DENIED whether or not
// it exists.

#ifndef SERVICES_MATCHING_PROPOSALS_PROPOSALS_H_
#define SERVICES_MATCHING_PROPOSALS_PROPOSALS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/events/outbox.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "jalin/matching/v1/matching_service.pb.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/scoring/weights.h"
#include "services/matching/sync/live_index.h"

namespace jalin::matching {

struct ProposalOptions {
  // An unanswered proposal expires this long after it was made.
  absl::Duration ttl = absl::Hours(24 * 14);
};

// Thread-safe. Everything passed in must outlive it.
class Proposals {
 public:
  Proposals(storage::Database* db, const events::Outbox* outbox,
            storage::RequestLog* requests, const LiveIndex* index,
            Signals* signals, const Weights* weights, const Clock* clock,
            ProposalOptions options);

  absl::StatusOr<matching::v1::Proposal> Create(
      const auth::Principal& who, const matching::v1::CreateProposalRequest& r);
  // The automatic rule: proposes `offer` to `need` as "system" unless the
  // pair was ever proposed before. Returns whether a proposal was made.
  absl::StatusOr<bool> ProposeAutomatically(absl::string_view offer,
                                            absl::string_view need);
  absl::StatusOr<matching::v1::Proposal> Get(
      const auth::Principal& who, const matching::v1::GetProposalRequest& r);
  absl::StatusOr<matching::v1::ListProposalsResponse> List(
      const auth::Principal& who, const matching::v1::ListProposalsRequest& r);
  absl::StatusOr<matching::v1::Proposal> Answer(
      const auth::Principal& who, const matching::v1::AnswerProposalRequest& r,
      bool accept);
  absl::StatusOr<matching::v1::Proposal> RecordOutcome(
      const auth::Principal& who, const matching::v1::RecordOutcomeRequest& r);
  absl::StatusOr<matching::v1::ProposalFunnel> Funnel(
      const auth::Principal& who,
      const matching::v1::GetProposalFunnelRequest& r);

  // Expires every unanswered proposal past its expire_time (the sweeper's
  // step). Returns how many expired.
  absl::StatusOr<int> ExpireDue();
  // Rebuilds the signals from the store (at start).
  absl::Status LoadSignals();

 private:
  // Builds and stores a new proposal in `tx`; `proposer` is a subject or
  // "system".
  absl::StatusOr<matching::v1::Proposal> CreateIn(
      storage::Transaction& tx, const auth::Principal* who,
      absl::string_view offer, absl::string_view need, absl::string_view note,
      absl::string_view request_id);
  absl::Status Emit(storage::Transaction& tx, const matching::v1::Proposal& p,
                    absl::string_view verb, absl::string_view answering_party,
                    absl::string_view request_id, absl::string_view actor);

  storage::Database* const db_;
  const events::Outbox* const outbox_;
  storage::RequestLog* const requests_;
  const LiveIndex* const index_;
  Signals* const signals_;
  const Weights* const weights_;
  const Clock* const clock_;
  const ProposalOptions options_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_PROPOSALS_PROPOSALS_H_
