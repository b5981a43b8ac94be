#include "services/matching/proposals/proposal_store.h"

#include <deque>
#include <limits>

#include "absl/numeric/int128.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/principal.h"
#include "common/status/status_macros.h"
#include "common/storage/index_hint.h"
#include "google/protobuf/util/time_util.h"
#include "services/matching/index/string_pool.h"

namespace jalin::matching {
namespace {

using google::protobuf::util::TimeUtil;
using matching::v1::Answer;
using matching::v1::Proposal;
using storage::Param;
using storage::Row;
using storage::Transaction;

constexpr storage::Migration kMigrations[] = {
    {1, "proposals",
     R"sql(
CREATE TABLE matching_proposals (
  id TEXT PRIMARY KEY,
  offer_listing TEXT NOT NULL,
  need_listing TEXT NOT NULL,
  supplier TEXT NOT NULL,
  buyer TEXT NOT NULL,
  supplier_region TEXT NOT NULL,
  buyer_region TEXT NOT NULL,
  supplier_province TEXT NOT NULL,
  buyer_province TEXT NOT NULL,
  offer_group TEXT NOT NULL,
  need_group TEXT NOT NULL,
  state INTEGER NOT NULL,
  open_pair TEXT UNIQUE,
  accepted INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  value_agreed INTEGER NOT NULL,
  km_saved REAL NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX matching_proposals_due ON matching_proposals (state, expire_time);
CREATE INDEX matching_proposals_supplier ON matching_proposals (supplier);
CREATE INDEX matching_proposals_buyer ON matching_proposals (buyer);
CREATE INDEX matching_proposals_pair
  ON matching_proposals (offer_listing, need_listing);
CREATE INDEX matching_proposals_created ON matching_proposals (create_time);
)sql"},
    // A regional facilitator's proposals, and the funnel of a region or a
    // province over a period: each side's region and province, with the
    // time, so that "a side lies in R" reads R's proposals only.
    {2, "proposal sides by region",
     R"sql(
CREATE INDEX matching_proposals_supplier_region
  ON matching_proposals (supplier_region, create_time);
CREATE INDEX matching_proposals_buyer_region
  ON matching_proposals (buyer_region, create_time);
CREATE INDEX matching_proposals_supplier_province
  ON matching_proposals (supplier_province, create_time);
CREATE INDEX matching_proposals_buyer_province
  ON matching_proposals (buyer_province, create_time);
)sql"},
};

constexpr char kColumns[] = "body, offer_group, need_group";

// SQLite's SUM fails on int64 overflow, and TOTAL is inexact past 2^53, so
// the funnel sums the values in two parts, each far from overflowing: the
// billions and the rest.
constexpr int64_t kValueSplit = 1'000'000'000;

// high * kValueSplit + low, held at the int64 range should the total
// exceed it (only values stored before outcomes were bounded can).
int64_t JoinValueSum(int64_t high, int64_t low) {
  const absl::int128 total = absl::int128(high) * kValueSplit + low;
  if (total > std::numeric_limits<int64_t>::max()) {
    return std::numeric_limits<int64_t>::max();
  }
  if (total < std::numeric_limits<int64_t>::min()) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(total);
}

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

bool IsOpen(Proposal::State s) {
  return s == Proposal::PROPOSED || s == Proposal::PARTIALLY_ACCEPTED ||
         s == Proposal::AGREED;
}

std::string PairKey(absl::string_view offer, absl::string_view need) {
  return absl::StrCat(offer, "|", need);
}

bool Accepted(const Proposal& p) {
  return p.supplier_answer().decision() == Answer::ACCEPTED ||
         p.buyer_answer().decision() == Answer::ACCEPTED;
}

int64_t ValueAgreed(const Proposal& p) {
  return p.state() == Proposal::COMPLETED ? p.outcome().value().amount() : 0;
}

absl::StatusOr<StoredProposal> ReadRow(const Row& row) {
  StoredProposal p;
  if (!p.proposal.ParseFromString(std::string(row.Blob(0)))) {
    return absl::DataLossError("a stored proposal cannot be read");
  }
  p.offer_group = std::string(row.Text(1));
  p.need_group = std::string(row.Text(2));
  return p;
}

// A WHERE clause under construction; owns the text its parameters view.
class Where {
 public:
  void Add(std::string condition, std::vector<std::string> values) {
    conditions_.push_back(std::move(condition));
    for (std::string& v : values) {
      texts_.push_back(std::move(v));
      params_.push_back(Param(absl::string_view(texts_.back())));
    }
  }
  void AddInt(std::string condition, int64_t value) {
    conditions_.push_back(std::move(condition));
    params_.push_back(Param(value));
  }
  std::string Sql() const {
    return conditions_.empty()
               ? std::string()
               : absl::StrCat(" WHERE ", absl::StrJoin(conditions_, " AND "));
  }
  std::vector<Param> params() const { return params_; }

 private:
  std::vector<std::string> conditions_;
  std::deque<std::string> texts_;
  std::vector<Param> params_;
};

// "column = ?", or "+column = ?" to keep SQLite off the column's index
// when the query reads a narrower one (common/storage/index_hint.h).
std::string Term(absl::string_view column, bool indexed) {
  return absl::StrCat(storage::Column(column, indexed), " = ?");
}

// "a side lies in `region`" (a province or a regency code).
std::string SideIn(absl::string_view region, bool indexed) {
  const bool province = region.find('.') == absl::string_view::npos;
  return absl::StrCat(
      Term(province ? "supplier_province" : "supplier_region", indexed), " OR ",
      Term(province ? "buyer_province" : "buyer_region", indexed));
}

void AddRegion(Where& w, absl::string_view region, bool indexed) {
  w.Add(absl::StrCat("(", SideIn(region, indexed), ")"),
        {std::string(region), std::string(region)});
}

void AddScope(Where& w, const ProposalScope& scope, bool regions_indexed) {
  if (scope.global) return;
  if (!scope.party.empty()) {
    w.Add("(supplier = ? OR buyer = ?)", {scope.party, scope.party});
    return;
  }
  std::vector<std::string> ors;
  std::vector<std::string> values;
  for (const std::string& r : scope.regions) {
    ors.push_back(SideIn(r, regions_indexed));
    values.push_back(r);
    values.push_back(r);
  }
  if (ors.empty()) {
    w.Add("1 = 0", {});  // no scope: nothing to see
    return;
  }
  w.Add(absl::StrCat("(", absl::StrJoin(ors, " OR "), ")"), std::move(values));
}

// Without statistics SQLite may take any index a term offers, and the
// state index (matching_proposals_due) or a province's would read far more
// proposals than the query wants. So the most selective terms alone are
// indexed: a party's (the supplier and buyer indexes) first, then a
// region's (the side indexes, one per side and level); the others are
// written "+column" and checked on the rows those indexes give.
Where FilterWhere(const ProposalScope& scope, const ProposalFilter& f) {
  const bool by_party =
      (!scope.global && !scope.party.empty()) || !f.party.empty();
  const bool regional_scope = !scope.global && scope.party.empty();
  const bool by_region = !by_party && (regional_scope || !f.region.empty());
  Where w;
  // A regency filter inside a province scope is the narrower of the two.
  const bool filter_narrower =
      !f.region.empty() && f.region.find('.') != std::string::npos;
  AddScope(w, scope, !by_party && !(regional_scope && filter_narrower));
  if (!f.region.empty()) {
    AddRegion(w, f.region, !by_party && (!regional_scope || filter_narrower));
  }
  if (!f.party.empty()) w.Add("(supplier = ? OR buyer = ?)", {f.party, f.party});
  if (f.state != Proposal::STATE_UNSPECIFIED) {
    w.AddInt(Term("state", !by_party && !by_region),
             static_cast<int64_t>(f.state));
  }
  if (f.start != absl::InfinitePast()) {
    w.AddInt("create_time >= ?", absl::ToUnixMicros(f.start));
  }
  if (f.end != absl::InfiniteFuture()) {
    w.AddInt("create_time < ?", absl::ToUnixMicros(f.end));
  }
  return w;
}

}  // namespace

absl::Status ProposalStore::Migrate(storage::Database& db) {
  return db.Migrate("proposals", kMigrations);
}

absl::Status ProposalStore::Insert(Transaction& tx, const StoredProposal& sp) {
  const Proposal& p = sp.proposal;
  ASSIGN_OR_RETURN(bool open,
                   OpenPairExists(tx, p.offer_listing(), p.need_listing()));
  if (open) {
    return absl::AlreadyExistsError(absl::StrCat(
        "an open proposal already joins ", p.offer_listing(), " and ",
        p.need_listing()));
  }
  const std::string id(p.name().substr(p.name().find('/') + 1));
  const std::string supplier_region = auth::RegionCode(p.supplier_region());
  const std::string buyer_region = auth::RegionCode(p.buyer_region());
  const std::string supplier_province = auth::ProvinceCode(p.supplier_region());
  const std::string buyer_province = auth::ProvinceCode(p.buyer_region());
  const std::string pair = PairKey(p.offer_listing(), p.need_listing());
  const std::string body = p.SerializeAsString();
  return tx.Exec(
      "INSERT INTO matching_proposals (id, offer_listing, need_listing, "
      "supplier, buyer, supplier_region, buyer_region, supplier_province, "
      "buyer_province, offer_group, need_group, state, open_pair, accepted, "
      "create_time, expire_time, value_agreed, km_saved, body) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Param(id), Param(p.offer_listing()), Param(p.need_listing()),
       Param(p.supplier()), Param(p.buyer()), Param(supplier_region),
       Param(buyer_region), Param(supplier_province), Param(buyer_province),
       Param(sp.offer_group), Param(sp.need_group),
       Param(static_cast<int64_t>(p.state())),
       IsOpen(p.state()) ? Param(pair) : Param(), Param(Accepted(p)),
       Param(Micros(p.create_time())), Param(Micros(p.expire_time())),
       Param(ValueAgreed(p)), Param(p.match().distance_saved_km()),
       Param::Blob(body)});
}

absl::Status ProposalStore::Update(Transaction& tx, const Proposal& p) {
  const std::string id(p.name().substr(p.name().find('/') + 1));
  const std::string pair = PairKey(p.offer_listing(), p.need_listing());
  const std::string body = p.SerializeAsString();
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE matching_proposals SET state = ?, open_pair = ?, accepted = ?, "
      "value_agreed = ?, body = ? WHERE id = ?",
      {Param(static_cast<int64_t>(p.state())),
       IsOpen(p.state()) ? Param(pair) : Param(), Param(Accepted(p)),
       Param(ValueAgreed(p)), Param::Blob(body), Param(id)}));
  if (tx.ChangedRows() != 1) {
    return absl::NotFoundError(absl::StrCat(p.name(), " is not stored"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredProposal>> ProposalStore::Get(
    Transaction& tx, absl::string_view id) {
  std::optional<StoredProposal> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kColumns, " FROM matching_proposals WHERE id = ?"),
      {Param(id)}, [&](const Row& row) -> absl::Status {
        ASSIGN_OR_RETURN(StoredProposal p, ReadRow(row));
        out = std::move(p);
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<bool> ProposalStore::OpenPairExists(Transaction& tx,
                                                   absl::string_view offer,
                                                   absl::string_view need) {
  const std::string pair = PairKey(offer, need);
  ASSIGN_OR_RETURN(int64_t n,
                   storage::QueryInt(tx,
                                     "SELECT COUNT(*) FROM matching_proposals "
                                     "WHERE open_pair = ?",
                                     {Param(pair)}));
  return n > 0;
}

absl::StatusOr<bool> ProposalStore::PairEverProposed(Transaction& tx,
                                                     absl::string_view offer,
                                                     absl::string_view need) {
  ASSIGN_OR_RETURN(int64_t n,
                   storage::QueryInt(tx,
                                     "SELECT COUNT(*) FROM matching_proposals "
                                     "WHERE offer_listing = ? AND need_listing = ?",
                                     {Param(offer), Param(need)}));
  return n > 0;
}

absl::StatusOr<std::vector<StoredProposal>> ProposalStore::Due(
    Transaction& tx, absl::Time now, int limit) {
  std::vector<StoredProposal> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kColumns,
                   " FROM matching_proposals WHERE state IN (?, ?) AND "
                   "expire_time <= ? ORDER BY expire_time, id LIMIT ?"),
      {Param(static_cast<int64_t>(Proposal::PROPOSED)),
       Param(static_cast<int64_t>(Proposal::PARTIALLY_ACCEPTED)),
       Param(absl::ToUnixMicros(now)), Param(limit)},
      [&](const Row& row) -> absl::Status {
        ASSIGN_OR_RETURN(StoredProposal p, ReadRow(row));
        out.push_back(std::move(p));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<Proposal>> ProposalStore::List(
    Transaction& tx, const ProposalScope& scope, const ProposalFilter& filter,
    absl::string_view after_id, int limit, int64_t* total) {
  Where where = FilterWhere(scope, filter);
  ASSIGN_OR_RETURN(*total,
                   storage::QueryInt(
                       tx,
                       absl::StrCat("SELECT COUNT(*) FROM matching_proposals",
                                    where.Sql()),
                       where.params()));
  if (!after_id.empty()) where.Add("id < ?", {std::string(after_id)});
  std::vector<Param> params = where.params();
  params.push_back(Param(limit));
  std::vector<Proposal> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kColumns, " FROM matching_proposals",
                   where.Sql(), " ORDER BY id DESC LIMIT ?"),
      params, [&](const Row& row) -> absl::Status {
        ASSIGN_OR_RETURN(StoredProposal p, ReadRow(row));
        out.push_back(std::move(p.proposal));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<matching::v1::ProposalFunnel> ProposalStore::Funnel(
    Transaction& tx, const ProposalScope& scope, const ProposalFilter& filter) {
  Where where = FilterWhere(scope, filter);
  matching::v1::ProposalFunnel f;
  const std::string agreed = absl::StrCat(
      "CASE WHEN state IN (", static_cast<int>(Proposal::AGREED), ", ",
      static_cast<int>(Proposal::COMPLETED), ") THEN 1 ELSE 0 END");
  auto state_is = [](Proposal::State s) {
    return absl::StrCat("CASE WHEN state = ", static_cast<int>(s),
                        " THEN 1 ELSE 0 END");
  };
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT COUNT(*), COALESCE(SUM(accepted), 0), COALESCE(SUM(",
                   agreed, "), 0), COALESCE(SUM(", state_is(Proposal::DECLINED),
                   "), 0), COALESCE(SUM(", state_is(Proposal::EXPIRED),
                   "), 0), COALESCE(SUM(", state_is(Proposal::COMPLETED),
                   "), 0), COALESCE(SUM(value_agreed / ", kValueSplit,
                   "), 0), COALESCE(SUM(value_agreed % ", kValueSplit,
                   "), 0), COALESCE(SUM(CASE WHEN state IN (",
                   static_cast<int>(Proposal::AGREED), ", ",
                   static_cast<int>(Proposal::COMPLETED),
                   ") THEN km_saved ELSE 0 END), 0) FROM matching_proposals",
                   where.Sql()),
      where.params(), [&](const Row& row) {
        f.set_proposed(row.Int(0));
        f.set_accepted(row.Int(1));
        f.set_agreed(row.Int(2));
        f.set_declined(row.Int(3));
        f.set_expired(row.Int(4));
        f.set_completed(row.Int(5));
        f.mutable_value_agreed()->set_amount(
            JoinValueSum(row.Int(6), row.Int(7)));
        f.set_km_saved(row.Double(8));
        return absl::OkStatus();
      }));
  return f;
}

absl::Status ProposalStore::LoadSignals(Transaction& tx, Signals* signals) {
  signals->Clear();
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(
          "SELECT offer_group, need_group, supplier_province, buyer_province, "
          "SUM(CASE WHEN state IN (",
          static_cast<int>(Proposal::AGREED), ", ",
          static_cast<int>(Proposal::COMPLETED),
          ") THEN 1 ELSE 0 END), SUM(CASE WHEN state = ",
          static_cast<int>(Proposal::DECLINED),
          " THEN 1 ELSE 0 END) FROM matching_proposals "
          "GROUP BY offer_group, need_group, supplier_province, "
          "buyer_province"),
      {}, [&](const Row& row) {
        FeedbackKey key{std::string(row.Text(0)), std::string(row.Text(1)),
                        std::string(row.Text(2)), std::string(row.Text(3))};
        if (row.Int(4) > 0 || row.Int(5) > 0) {
          signals->AddFeedback(key, row.Int(4), row.Int(5));
        }
        return absl::OkStatus();
      }));
  return tx.Query(
      "SELECT supplier, buyer FROM matching_proposals WHERE state = ?",
      {Param(static_cast<int64_t>(Proposal::COMPLETED))}, [&](const Row& row) {
        signals->AddDeal(StableHash(row.Text(0)));
        signals->AddDeal(StableHash(row.Text(1)));
        return absl::OkStatus();
      });
}

}  // namespace jalin::matching
