// The proposal state machine, on the Proposal message alone (no I/O):
//
//   PROPOSED --accept(one side)--> PARTIALLY_ACCEPTED --accept(other)--> AGREED
//   PROPOSED | PARTIALLY_ACCEPTED --decline(a side still pending)--> DECLINED
//   PROPOSED | PARTIALLY_ACCEPTED --expire_time passed--> EXPIRED
//   AGREED --outcome recorded--> COMPLETED
//
// Anything else is FAILED_PRECONDITION: the caller must look at the
// proposal's state first. Each successful transition names its event verb
// ("accepted", "agreed", "declined", "expired", "completed").

#ifndef SERVICES_MATCHING_PROPOSALS_PROPOSAL_RULES_H_
#define SERVICES_MATCHING_PROPOSALS_PROPOSAL_RULES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jalin/matching/v1/proposal.pb.h"

namespace jalin::matching {

enum class ProposalSide { kSupplier, kBuyer };

// The side's resource name: the proposal's supplier or buyer.
const std::string& PartyOf(const matching::v1::Proposal& p, ProposalSide side);

// True in PROPOSED and PARTIALLY_ACCEPTED.
bool IsAwaitingAnswers(const matching::v1::Proposal& p);

// Records `side`'s answer at `now`. Returns the event verb.
absl::StatusOr<std::string> AnswerProposal(matching::v1::Proposal& p,
                                           ProposalSide side, bool accept,
                                           absl::string_view answered_by,
                                           absl::string_view comment,
                                           absl::Time now);

// AGREED -> COMPLETED with `outcome`. Returns the event verb.
absl::StatusOr<std::string> CompleteProposal(
    matching::v1::Proposal& p, const matching::v1::Outcome& outcome,
    absl::Time now);

// An unanswered proposal past its expire_time -> EXPIRED. Returns the event
// verb.
absl::StatusOr<std::string> ExpireProposal(matching::v1::Proposal& p,
                                           absl::Time now);

// "PROPOSED", ...
std::string StateName(matching::v1::Proposal::State state);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_PROPOSALS_PROPOSAL_RULES_H_
