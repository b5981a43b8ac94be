#include "services/matching/proposals/proposal_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "google/protobuf/util/time_util.h"

namespace jalin::matching {
namespace {

using google::protobuf::util::TimeUtil;
using matching::v1::Answer;
using matching::v1::Proposal;

google::protobuf::Timestamp Stamp(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

absl::Status WrongState(const Proposal& p, absl::string_view action) {
  return WithErrorInfo(
      absl::FailedPreconditionError(absl::StrCat(
          "cannot ", action, " ", p.name(), ": it is ", StateName(p.state()))),
      "PROPOSAL_STATE", {{"state", StateName(p.state())}});
}

}  // namespace

std::string StateName(Proposal::State state) {
  return Proposal::State_Name(state);
}

const std::string& PartyOf(const Proposal& p, ProposalSide side) {
  return side == ProposalSide::kSupplier ? p.supplier() : p.buyer();
}

bool IsAwaitingAnswers(const Proposal& p) {
  return p.state() == Proposal::PROPOSED ||
         p.state() == Proposal::PARTIALLY_ACCEPTED;
}

absl::StatusOr<std::string> AnswerProposal(Proposal& p, ProposalSide side,
                                           bool accept,
                                           absl::string_view answered_by,
                                           absl::string_view comment,
                                           absl::Time now) {
  const char* action = accept ? "accept" : "decline";
  if (!IsAwaitingAnswers(p)) return WrongState(p, action);
  if (now >= TimeOf(p.expire_time())) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "cannot ", action, " ", p.name(), ": it expired at ",
            TimeUtil::ToString(p.expire_time()))),
        "PROPOSAL_EXPIRED");
  }
  Answer* mine = side == ProposalSide::kSupplier ? p.mutable_supplier_answer()
                                                 : p.mutable_buyer_answer();
  const Answer& theirs =
      side == ProposalSide::kSupplier ? p.buyer_answer() : p.supplier_answer();
  if (mine->decision() != Answer::PENDING) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            PartyOf(p, side), " already answered ", p.name(), ": ",
            Answer::Decision_Name(mine->decision()))),
        "ALREADY_ANSWERED");
  }
  mine->set_decision(accept ? Answer::ACCEPTED : Answer::DECLINED);
  mine->set_answered_by(std::string(answered_by));
  *mine->mutable_answer_time() = Stamp(now);
  mine->set_comment(std::string(comment));
  *p.mutable_update_time() = Stamp(now);
  if (!accept) {
    p.set_state(Proposal::DECLINED);
    return std::string("declined");
  }
  if (theirs.decision() == Answer::ACCEPTED) {
    p.set_state(Proposal::AGREED);
    return std::string("agreed");
  }
  p.set_state(Proposal::PARTIALLY_ACCEPTED);
  return std::string("accepted");
}

absl::StatusOr<std::string> CompleteProposal(Proposal& p,
                                             const matching::v1::Outcome& o,
                                             absl::Time now) {
  if (p.state() != Proposal::AGREED) return WrongState(p, "record the outcome of");
  *p.mutable_outcome() = o;
  p.set_state(Proposal::COMPLETED);
  *p.mutable_update_time() = Stamp(now);
  return std::string("completed");
}

absl::StatusOr<std::string> ExpireProposal(Proposal& p, absl::Time now) {
  if (!IsAwaitingAnswers(p)) return WrongState(p, "expire");
  if (now < TimeOf(p.expire_time())) {
    return absl::FailedPreconditionError(
        absl::StrCat(p.name(), " has not reached its expire_time"));
  }
  p.set_state(Proposal::EXPIRED);
  *p.mutable_update_time() = Stamp(now);
  return std::string("expired");
}

}  // namespace jalin::matching
