#include "services/matching/proposals/proposals.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/auth/policy.h"
#include "common/events/event_builder.h"
#include "common/ids.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/validation/validators.h"
#include "google/protobuf/util/time_util.h"
#include "jalin/events/v1/matching_events.pb.h"
#include "services/matching/proposals/proposal_rules.h"
#include "services/matching/proposals/proposal_store.h"
#include "services/matching/request_checks.h"
#include "services/matching/scoring/pair.h"

namespace jalin::matching {
namespace {

using google::protobuf::util::TimeUtil;
using matching::v1::Answer;
using matching::v1::Proposal;

constexpr int kExpiryBatch = 100;
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

google::protobuf::Timestamp Stamp(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

// Any valid Timestamp (years 1 to 9999); nanoseconds since 1970 would
// overflow an int64 after 2262.
absl::Time TimeOfStamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string Etag(const Proposal& p) {
  Proposal copy = p;
  copy.clear_etag();
  return absl::StrFormat("%016x", StableHash(copy.SerializeAsString()));
}

absl::string_view IdOf(absl::string_view name) {
  return name.substr(name.find('/') + 1);
}

bool CoversEither(const auth::Principal& who, const Proposal& p) {
  return who.CoversRegion(p.supplier_region()) ||
         who.CoversRegion(p.buyer_region());
}

bool CanRead(const auth::Principal& who, const Proposal& p) {
  if (who.IsGlobal()) return true;
  if (who.role == auth::Role::kMember) {
    return !who.organization.empty() &&
           (who.organization == p.supplier() || who.organization == p.buyer());
  }
  return CoversEither(who, p);
}

// The sides `who` may answer for.
std::vector<ProposalSide> AnswerSides(const auth::Principal& who,
                                      const Proposal& p) {
  std::vector<ProposalSide> sides;
  for (ProposalSide side : {ProposalSide::kSupplier, ProposalSide::kBuyer}) {
    const std::string& party = PartyOf(p, side);
    const std::string& region = side == ProposalSide::kSupplier
                                    ? p.supplier_region()
                                    : p.buyer_region();
    bool may = false;
    switch (who.role) {
      case auth::Role::kAdmin:
        may = true;
        break;
      case auth::Role::kMember:
        may = !who.organization.empty() && who.organization == party;
        break;
      case auth::Role::kFacilitator:
        may = who.CoversRegion(region);
        break;
      default:
        break;
    }
    if (may) sides.push_back(side);
  }
  return sides;
}

bool MayRecordOutcome(const auth::Principal& who, const Proposal& p) {
  switch (who.role) {
    case auth::Role::kAdmin:
      return true;
    case auth::Role::kMember:
      return !who.organization.empty() &&
             (who.organization == p.supplier() ||
              who.organization == p.buyer());
    case auth::Role::kFacilitator:
      return CoversEither(who, p);
    default:
      return false;
  }
}

absl::Status NotVisible(const auth::Principal& who, absl::string_view name) {
  if (who.IsGlobal()) {
    return absl::NotFoundError(absl::StrCat(name, " does not exist"));
  }
  return auth::PermissionDenied(absl::StrCat(
      "you may not act on ", name, ", or it does not exist"));
}

ProposalScope ScopeOf(const auth::Principal& who) {
  ProposalScope scope;
  if (who.IsGlobal()) {
    scope.global = true;
  } else if (who.role == auth::Role::kMember) {
    scope.party = who.organization.empty() ? std::string("-")
                                           : who.organization;
  } else {
    scope.regions = who.regions;
  }
  return scope;
}

FeedbackKey KeyOf(const StoredProposal& sp) {
  return {sp.offer_group, sp.need_group,
          auth::ProvinceCode(sp.proposal.supplier_region()),
          auth::ProvinceCode(sp.proposal.buyer_region())};
}

}  // namespace

Proposals::Proposals(storage::Database* db, const events::Outbox* outbox,
                     storage::RequestLog* requests, const LiveIndex* index,
                     Signals* signals, const Weights* weights,
                     const Clock* clock, ProposalOptions options)
    : db_(db),
      outbox_(outbox),
      requests_(requests),
      index_(index),
      signals_(signals),
      weights_(weights),
      clock_(clock),
      options_(options) {}

absl::Status Proposals::Emit(storage::Transaction& tx, const Proposal& p,
                             absl::string_view verb,
                             absl::string_view answering_party,
                             absl::string_view request_id,
                             absl::string_view actor) {
  events::v1::ProposalEvent payload;
  *payload.mutable_proposal() = p;
  payload.set_answering_party(std::string(answering_party));
  std::vector<std::string> regions = {p.supplier_region()};
  if (p.buyer_region() != p.supplier_region()) {
    regions.push_back(p.buyer_region());
  }
  const std::string type = absl::StrCat("jalin.matching.proposal.", verb);
  return outbox_->Append(
      tx, events::MakeEvent({.service = "matching",
                             .type = type,
                             .subject = p.name(),
                             .regions = regions,
                             .parties = {p.supplier(), p.buyer()},
                             .request_id = request_id,
                             .actor = actor},
                            payload, clock_->Now()));
}

absl::StatusOr<Proposal> Proposals::CreateIn(storage::Transaction& tx,
                                             const auth::Principal* who,
                                             absl::string_view offer,
                                             absl::string_view need,
                                             absl::string_view note,
                                             absl::string_view request_id) {
  const absl::Time now = clock_->Now();
  Proposal p;
  std::string offer_group, need_group;
  RETURN_IF_ERROR(index_->Read([&](const MatchIndex& index) -> absl::Status {
    const uint32_t o = index.FindListing(offer);
    const uint32_t n = index.FindListing(need);
    auto covers = [&](uint32_t slot) {
      return who == nullptr || who->IsGlobal() ||
             who->CoversRegion(index.grid().name(index.region(slot)));
    };
    if (o == kNoId || n == kNoId) {
      const bool permitted = who == nullptr || who->IsGlobal() ||
                             (o != kNoId && covers(o)) ||
                             (n != kNoId && covers(n));
      if (!permitted) {
        return auth::PermissionDenied(
            "you may propose only between listings of your regions");
      }
      return absl::NotFoundError(absl::StrCat(
          "no open listing ", o == kNoId ? offer : need));
    }
    if (!covers(o) && !covers(n)) {
      return auth::PermissionDenied(
          "you may propose only where the supplier or the buyer is in your "
          "regions");
    }
    Signals::ReadLock lock(*signals_);
    ASSIGN_OR_RETURN(*p.mutable_match(),
                     ScorePair(index, lock, *weights_, o, n,
                               absl::ToUnixSeconds(now)));
    p.set_offer_listing(std::string(offer));
    p.set_need_listing(std::string(need));
    p.set_supplier(std::string(index.owner_name(index.owner(o))));
    p.set_buyer(std::string(index.owner_name(index.owner(n))));
    p.set_supplier_region(index.grid().name(index.region(o)));
    p.set_buyer_region(index.grid().name(index.region(n)));
    const Taxonomy& t = index.taxonomy();
    offer_group = t.node(t.Group(index.category(o))).name;
    need_group = t.node(t.Group(index.category(n))).name;
    return absl::OkStatus();
  }));
  p.set_name(absl::StrCat("proposals/", NewUlid(now)));
  p.set_state(Proposal::PROPOSED);
  p.mutable_supplier_answer()->set_decision(Answer::PENDING);
  p.mutable_buyer_answer()->set_decision(Answer::PENDING);
  p.set_note(std::string(note));
  p.set_proposer(who == nullptr ? "system" : who->subject);
  *p.mutable_create_time() = Stamp(now);
  *p.mutable_update_time() = Stamp(now);
  *p.mutable_expire_time() = Stamp(now + options_.ttl);
  p.set_etag(Etag(p));
  RETURN_IF_ERROR(ProposalStore::Insert(tx, {p, offer_group, need_group}));
  RETURN_IF_ERROR(
      Emit(tx, p, "created", "", request_id, p.proposer()));
  return p;
}

absl::StatusOr<Proposal> Proposals::Create(
    const auth::Principal& who, const matching::v1::CreateProposalRequest& r) {
  FieldViolations v;
  CheckName(v, "proposal.offer_listing", r.proposal().offer_listing(),
            "listings", /*required=*/true);
  CheckName(v, "proposal.need_listing", r.proposal().need_listing(),
            "listings", /*required=*/true);
  validation::CheckText(v, "proposal.note", r.proposal().note(), 2000, false);
  ValidateRequestId(r.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus("invalid proposal"));
  Proposal out;
  RETURN_IF_ERROR(requests_->RunOnce(
      *db_, who.subject, "CreateProposal", r.request_id(), r, &out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(out, CreateIn(tx, &who, r.proposal().offer_listing(),
                                       r.proposal().need_listing(),
                                       r.proposal().note(), r.request_id()));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<bool> Proposals::ProposeAutomatically(absl::string_view offer,
                                                     absl::string_view need) {
  bool made = false;
  RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool before,
                     ProposalStore::PairEverProposed(tx, offer, need));
    if (before) return absl::OkStatus();
    RETURN_IF_ERROR(CreateIn(tx, nullptr, offer, need,
                             "Diusulkan otomatis: skor kecocokan tinggi. / "
                             "Proposed automatically: a high match score.",
                             "")
                        .status());
    made = true;
    return absl::OkStatus();
  }));
  return made;
}

absl::StatusOr<Proposal> Proposals::Get(
    const auth::Principal& who, const matching::v1::GetProposalRequest& r) {
  FieldViolations v;
  CheckName(v, "name", r.name(), "proposals", /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus("invalid request"));
  std::optional<StoredProposal> stored;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(stored, ProposalStore::Get(tx, IdOf(r.name())));
    return absl::OkStatus();
  }));
  if (!stored || !CanRead(who, stored->proposal)) {
    return NotVisible(who, r.name());
  }
  return stored->proposal;
}

absl::StatusOr<matching::v1::ListProposalsResponse> Proposals::List(
    const auth::Principal& who, const matching::v1::ListProposalsRequest& r) {
  FieldViolations v;
  const int size = api::PageSize(r.page_size(), v, "page_size",
                                 kDefaultPageSize, kMaxPageSize);
  CheckRegion(v, "region", r.region(), /*required=*/false);
  CheckOwner(v, "party", r.party(), /*required=*/false);
  if (!Proposal::State_IsValid(r.state())) {
    v.Add("state", "is not a proposal state");
  }
  const std::string query =
      absl::StrCat(r.region(), "|", r.party(), "|", r.state());
  std::string after;
  if (absl::StatusOr<std::string> decoded =
          api::DecodePageToken(r.page_token(), query);
      decoded.ok()) {
    after = *std::move(decoded);
  } else {
    v.AddFrom(decoded.status(), "page_token");
  }
  RETURN_IF_ERROR(v.ToStatus("invalid request"));
  if (!r.region().empty() && !who.IsGlobal() &&
      who.role != auth::Role::kMember && !who.CoversRegion(r.region())) {
    return auth::PermissionDenied(
        absl::StrCat("region ", r.region(), " is outside your regions"));
  }
  ProposalFilter filter;
  filter.region = auth::RegionCode(r.region());
  filter.party = r.party();
  filter.state = r.state();
  matching::v1::ListProposalsResponse out;
  int64_t total = 0;
  std::vector<Proposal> page;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(page, ProposalStore::List(tx, ScopeOf(who), filter,
                                               after, size + 1, &total));
    return absl::OkStatus();
  }));
  const bool more = static_cast<int>(page.size()) > size;
  if (more) page.pop_back();
  for (Proposal& p : page) *out.add_proposals() = std::move(p);
  if (more) {
    out.set_next_page_token(api::EncodePageToken(
        query, IdOf(out.proposals(out.proposals_size() - 1).name())));
  }
  out.set_total_size(static_cast<int32_t>(total));
  return out;
}

absl::StatusOr<Proposal> Proposals::Answer(
    const auth::Principal& who, const matching::v1::AnswerProposalRequest& r,
    bool accept) {
  FieldViolations v;
  CheckName(v, "name", r.name(), "proposals", /*required=*/true);
  CheckOwner(v, "party", r.party(), /*required=*/false);
  validation::CheckText(v, "comment", r.comment(), 1000, false);
  ValidateRequestId(r.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus("invalid answer"));
  Proposal out;
  RETURN_IF_ERROR(requests_->RunOnce(
      *db_, who.subject, accept ? "AcceptProposal" : "DeclineProposal",
      r.request_id(), r, &out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(std::optional<StoredProposal> stored,
                         ProposalStore::Get(tx, IdOf(r.name())));
        if (!stored || !CanRead(who, stored->proposal)) {
          return NotVisible(who, r.name());
        }
        Proposal& p = stored->proposal;
        const std::vector<ProposalSide> sides = AnswerSides(who, p);
        if (sides.empty()) {
          return auth::PermissionDenied(absl::StrCat(
              "only the parties of ", p.name(),
              " or facilitators of their regions may answer it"));
        }
        ProposalSide side = sides.front();
        if (!r.party().empty()) {
          if (r.party() != p.supplier() && r.party() != p.buyer()) {
            return InvalidFieldError(
                "party", absl::StrCat("is neither the supplier nor the buyer "
                                      "of ",
                                      p.name()));
          }
          side = r.party() == p.supplier() ? ProposalSide::kSupplier
                                           : ProposalSide::kBuyer;
          if (std::find(sides.begin(), sides.end(), side) == sides.end()) {
            return auth::PermissionDenied(
                absl::StrCat("you may not answer for ", r.party()));
          }
        } else if (sides.size() > 1) {
          return InvalidFieldError(
              "party", "is required: you may answer for either side");
        }
        if (!r.etag().empty() && r.etag() != p.etag()) {
          return WithErrorInfo(
              absl::AbortedError(absl::StrCat(
                  p.name(), " changed since it was read; read it again")),
              "ETAG_MISMATCH");
        }
        ASSIGN_OR_RETURN(std::string verb,
                         AnswerProposal(p, side, accept, who.subject,
                                        r.comment(), clock_->Now()));
        p.set_etag(Etag(p));
        RETURN_IF_ERROR(ProposalStore::Update(tx, p));
        RETURN_IF_ERROR(Emit(tx, p, verb, PartyOf(p, side), r.request_id(),
                             who.subject));
        if (verb == "agreed" || verb == "declined") {
          const FeedbackKey key = KeyOf(*stored);
          const bool agreed = verb == "agreed";
          tx.OnCommit([this, key, agreed] {
            signals_->AddFeedback(key, agreed ? 1 : 0, agreed ? 0 : 1);
          });
        }
        out = p;
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<Proposal> Proposals::RecordOutcome(
    const auth::Principal& who, const matching::v1::RecordOutcomeRequest& r) {
  FieldViolations v;
  CheckName(v, "name", r.name(), "proposals", /*required=*/true);
  if (!r.has_outcome()) {
    v.Add("outcome", "is required");
  } else {
    CheckOutcome(v, "outcome", r.outcome(), clock_->Now());
  }
  ValidateRequestId(r.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus("invalid outcome"));
  Proposal out;
  RETURN_IF_ERROR(requests_->RunOnce(
      *db_, who.subject, "RecordOutcome", r.request_id(), r, &out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(std::optional<StoredProposal> stored,
                         ProposalStore::Get(tx, IdOf(r.name())));
        if (!stored || !CanRead(who, stored->proposal)) {
          return NotVisible(who, r.name());
        }
        Proposal& p = stored->proposal;
        if (!MayRecordOutcome(who, p)) {
          return auth::PermissionDenied(absl::StrCat(
              "only the parties of ", p.name(),
              " or facilitators of their regions may record its outcome"));
        }
        ASSIGN_OR_RETURN(std::string verb,
                         CompleteProposal(p, r.outcome(), clock_->Now()));
        p.set_etag(Etag(p));
        RETURN_IF_ERROR(ProposalStore::Update(tx, p));
        RETURN_IF_ERROR(Emit(tx, p, verb, "", r.request_id(), who.subject));
        const uint64_t supplier = StableHash(p.supplier());
        const uint64_t buyer = StableHash(p.buyer());
        tx.OnCommit([this, supplier, buyer] {
          signals_->AddDeal(supplier);
          signals_->AddDeal(buyer);
        });
        out = p;
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<matching::v1::ProposalFunnel> Proposals::Funnel(
    const auth::Principal& who,
    const matching::v1::GetProposalFunnelRequest& r) {
  FieldViolations v;
  CheckRegion(v, "region", r.region(), /*required=*/false);
  CheckTimestamp(v, "start_time", r.start_time(), r.has_start_time());
  CheckTimestamp(v, "end_time", r.end_time(), r.has_end_time());
  if (r.has_start_time() && r.has_end_time() &&
      TimeOfStamp(r.end_time()) <= TimeOfStamp(r.start_time())) {
    v.Add("end_time", "must be after start_time");
  }
  RETURN_IF_ERROR(v.ToStatus("invalid request"));
  if (!r.region().empty() && !who.IsGlobal() &&
      who.role != auth::Role::kMember && !who.CoversRegion(r.region())) {
    return auth::PermissionDenied(
        absl::StrCat("region ", r.region(), " is outside your regions"));
  }
  ProposalFilter filter;
  filter.region = auth::RegionCode(r.region());
  if (r.has_start_time()) filter.start = TimeOfStamp(r.start_time());
  if (r.has_end_time()) filter.end = TimeOfStamp(r.end_time());
  matching::v1::ProposalFunnel out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, ProposalStore::Funnel(tx, ScopeOf(who), filter));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> Proposals::ExpireDue() {
  int total = 0;
  while (true) {
    int n = 0;
    const absl::Time now = clock_->Now();
    RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<StoredProposal> due,
                       ProposalStore::Due(tx, now, kExpiryBatch));
      for (StoredProposal& sp : due) {
        Proposal& p = sp.proposal;
        ASSIGN_OR_RETURN(std::string verb, ExpireProposal(p, now));
        p.set_etag(Etag(p));
        RETURN_IF_ERROR(ProposalStore::Update(tx, p));
        RETURN_IF_ERROR(Emit(tx, p, verb, "", "", "system"));
        ++n;
      }
      return absl::OkStatus();
    }));
    total += n;
    if (n < kExpiryBatch) break;
  }
  return total;
}

absl::Status Proposals::LoadSignals() {
  return db_->Read([&](storage::Transaction& tx) {
    return ProposalStore::LoadSignals(tx, signals_);
  });
}

}  // namespace jalin::matching
