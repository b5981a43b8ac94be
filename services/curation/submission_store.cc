#include "services/curation/submission_store.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/proto_time.h"
#include "common/status/status_macros.h"
#include "common/storage/index_hint.h"
#include "services/curation/store_util.h"

namespace jalin::curation::store {

using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Submission;
using storage::Param;

namespace {

// Columns read to assemble a Submission.
constexpr absl::string_view kColumns =
    "body, state, review_round, decision, update_time";

absl::Status Assemble(const storage::Row& row, int first, Submission* s) {
  RETURN_IF_ERROR(ParseBlob(row.Blob(first), s, "submission"));
  s->set_state(static_cast<Submission::State>(row.Int(first + 1)));
  s->set_review_round(static_cast<int32_t>(row.Int(first + 2)));
  if (!row.IsNull(first + 3)) {
    RETURN_IF_ERROR(
        ParseBlob(row.Blob(first + 3), s->mutable_decision(), "decision"));
  }
  ToProtoTime(FromMicros(row.Int(first + 4)), s->mutable_update_time());
  return absl::OkStatus();
}

// The ids of "campaigns/{c}/submissions/{s}".
std::pair<std::string, std::string> Ids(absl::string_view name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4) return {"", ""};
  return {parts[1], parts[3]};
}

// What is kept in the body: everything but the columns.
std::string Body(const Submission& s) {
  Submission body = s;
  body.clear_state();
  body.clear_review_round();
  body.clear_decision();
  body.clear_update_time();
  return body.SerializeAsString();
}

std::vector<std::string> SplitClusters(absl::string_view text) {
  if (text.empty()) return {};
  return absl::StrSplit(text, ',');
}

}  // namespace

std::string ProductKey(absl::string_view product_name) {
  std::string out;
  bool space = false;
  for (char c : absl::StripAsciiWhitespace(product_name)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string SubmissionName(absl::string_view campaign_id,
                           absl::string_view submission_id) {
  return absl::StrCat("campaigns/", campaign_id, "/submissions/",
                      submission_id);
}

absl::StatusOr<Submission> GetSubmission(storage::Transaction& tx,
                                         absl::string_view campaign_id,
                                         absl::string_view submission_id) {
  Submission s;
  bool found = false;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(
          "SELECT ", kColumns,
          " FROM curation_submissions WHERE campaign_id = ? AND id = ?"),
      {Param(campaign_id), Param(submission_id)}, [&](const storage::Row& row) {
        found = true;
        return Assemble(row, 0, &s);
      }));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat(SubmissionName(campaign_id, submission_id), " not found"));
  }
  return s;
}

absl::StatusOr<std::optional<std::string>> FindLiveSubmission(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view enterprise, absl::string_view product_name) {
  std::optional<std::string> id;
  const std::string key = ProductKey(product_name);
  RETURN_IF_ERROR(
      tx.Query("SELECT id FROM curation_submissions WHERE campaign_id = ? AND "
               "enterprise = ? AND product_key = ? AND state <> ?",
               {Param(campaign_id), Param(enterprise), Param(key),
                Param(static_cast<int>(Submission::WITHDRAWN))},
               [&](const storage::Row& row) {
                 id = std::string(row.Text(0));
                 return absl::OkStatus();
               }));
  return id;
}

absl::Status InsertSubmission(storage::Transaction& tx, const Submission& s) {
  const auto [campaign_id, id] = Ids(s.name());
  const std::string body = Body(s);
  const std::string decision =
      s.has_decision() ? s.decision().SerializeAsString() : "";
  return tx.Exec(
      "INSERT INTO curation_submissions (campaign_id, id, enterprise, "
      "product_name, product_key, region, clusters, state, review_round, "
      "result, body, decision, update_time) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Param(campaign_id), Param(id), Param(s.enterprise()),
       Param(s.product_name()), Param(ProductKey(s.product_name())),
       Param(s.region()), Param(absl::StrJoin(s.clusters(), ",")),
       Param(static_cast<int>(s.state())), Param(s.review_round()),
       Param(static_cast<int>(s.decision().result())), Param::Blob(body),
       s.has_decision() ? Param::Blob(decision) : Param(),
       Param(Micros(FromProtoTime(s.update_time())))});
}

absl::Status UpdateSubmission(storage::Transaction& tx, const Submission& s) {
  const auto [campaign_id, id] = Ids(s.name());
  const std::string body = Body(s);
  const std::string decision =
      s.has_decision() ? s.decision().SerializeAsString() : "";
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE curation_submissions SET state = ?, review_round = ?, "
      "result = ?, body = ?, decision = ?, update_time = ? "
      "WHERE campaign_id = ? AND id = ?",
      {Param(static_cast<int>(s.state())), Param(s.review_round()),
       Param(static_cast<int>(s.decision().result())), Param::Blob(body),
       s.has_decision() ? Param::Blob(decision) : Param(),
       Param(Micros(FromProtoTime(s.update_time()))), Param(campaign_id),
       Param(id)}));
  if (tx.ChangedRows() != 1) {
    return absl::NotFoundError(absl::StrCat(s.name(), " not found"));
  }
  return absl::OkStatus();
}

absl::Status SetSubmissionState(storage::Transaction& tx,
                                absl::string_view campaign_id,
                                absl::string_view submission_id,
                                Submission::State state, absl::Time now) {
  return tx.Exec(
      "UPDATE curation_submissions SET state = ?, update_time = ? "
      "WHERE campaign_id = ? AND id = ?",
      {Param(static_cast<int>(state)), Param(Micros(now)), Param(campaign_id),
       Param(submission_id)});
}

absl::Status SetDecision(storage::Transaction& tx,
                         absl::string_view campaign_id,
                         absl::string_view submission_id,
                         Decision::Result result,
                         absl::string_view decision_bytes, absl::Time now) {
  return tx.Exec(
      "UPDATE curation_submissions SET state = ?, result = ?, decision = ?, "
      "update_time = ? WHERE campaign_id = ? AND id = ?",
      {Param(static_cast<int>(Submission::DECIDED)),
       Param(static_cast<int>(result)), Param::Blob(decision_bytes),
       Param(Micros(now)), Param(campaign_id), Param(submission_id)});
}

absl::Status ForEachSubmissionKey(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(absl::string_view, absl::string_view,
                                   absl::string_view, Submission::State)>
        fn) {
  return tx.Query(
      "SELECT id, enterprise, product_name, state FROM curation_submissions "
      "WHERE campaign_id = ? ORDER BY id",
      {Param(campaign_id)}, [&](const storage::Row& row) {
        return fn(row.Text(0), row.Text(1), row.Text(2),
                  static_cast<Submission::State>(row.Int(3)));
      });
}

absl::Status ForEachReviewTarget(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(absl::string_view, absl::string_view,
                                   absl::string_view, Submission::State,
                                   int32_t)>
        fn) {
  return tx.Query(
      "SELECT id, region, clusters, state, review_round FROM "
      "curation_submissions WHERE campaign_id = ? ORDER BY id",
      {Param(campaign_id)}, [&](const storage::Row& row) {
        return fn(row.Text(0), row.Text(1), row.Text(2),
                  static_cast<Submission::State>(row.Int(3)),
                  static_cast<int32_t>(row.Int(4)));
      });
}

absl::Status SetStateOfAll(storage::Transaction& tx,
                           absl::string_view campaign_id,
                           Submission::State from, Submission::State to,
                           absl::Time now) {
  return tx.Exec(
      "UPDATE curation_submissions SET state = ?, update_time = ? "
      "WHERE campaign_id = ? AND state = ?",
      {Param(static_cast<int>(to)), Param(Micros(now)), Param(campaign_id),
       Param(static_cast<int>(from))});
}

absl::Status ForEachSubmissionBrief(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(const SubmissionBrief&)> fn) {
  SubmissionBrief b;
  return tx.Query(
      "SELECT id, enterprise, product_name, region, clusters, state, "
      "review_round, result FROM curation_submissions WHERE campaign_id = ? "
      "ORDER BY id",
      {Param(campaign_id)}, [&](const storage::Row& row) {
        b.id = std::string(row.Text(0));
        b.enterprise = std::string(row.Text(1));
        b.product_name = std::string(row.Text(2));
        b.region = std::string(row.Text(3));
        b.clusters = SplitClusters(row.Text(4));
        b.state = static_cast<Submission::State>(row.Int(5));
        b.review_round = static_cast<int32_t>(row.Int(6));
        b.result = static_cast<Decision::Result>(row.Int(7));
        return fn(b);
      });
}

absl::Status ForEachSubmissionIn(
    storage::Transaction& tx, absl::string_view campaign_id,
    Submission::State state, absl::FunctionRef<absl::Status(Submission&)> fn) {
  Submission s;
  return tx.Query(
      absl::StrCat("SELECT ", kColumns,
                   " FROM curation_submissions WHERE campaign_id = ? AND "
                   "state = ? ORDER BY id"),
      {Param(campaign_id), Param(static_cast<int>(state))},
      [&](const storage::Row& row) {
        s.Clear();
        RETURN_IF_ERROR(Assemble(row, 0, &s));
        return fn(s);
      });
}

absl::Status ForEachDecision(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(const SubmissionBrief&, const Decision&)>
        fn) {
  SubmissionBrief b;
  Decision d;
  return tx.Query(
      "SELECT id, enterprise, product_name, region, review_round, result, "
      "decision FROM curation_submissions WHERE campaign_id = ? AND state = ? "
      "ORDER BY id",
      {Param(campaign_id), Param(static_cast<int>(Submission::DECIDED))},
      [&](const storage::Row& row) {
        b.id = std::string(row.Text(0));
        b.enterprise = std::string(row.Text(1));
        b.product_name = std::string(row.Text(2));
        b.region = std::string(row.Text(3));
        b.state = Submission::DECIDED;
        b.review_round = static_cast<int32_t>(row.Int(4));
        b.result = static_cast<Decision::Result>(row.Int(5));
        d.Clear();
        RETURN_IF_ERROR(ParseBlob(row.Blob(6), &d, "decision"));
        return fn(b, d);
      });
}

namespace {

// " WHERE ..." with the filters `q` asks for and their binds. Only those:
// "(? = '' OR enterprise = ?)" would keep every index out of the plan (the
// value is bound after planning), so that a member's list read the whole
// campaign. A region filter takes in the kabupaten/kota of a province.
struct Filter {
  std::string where;
  std::vector<Param> params;
  // The page's order and its "after" term: "id", or "+id" when the rows
  // come from an index that does not hold them in id order.
  std::string id = "id";
};

Filter FilterFor(const SubmissionQuery& q) {
  Filter f;
  // With an applicant, its few submissions come from
  // curation_submissions_enterprise; "+campaign_id" keeps SQLite off the
  // primary key (campaign_id, id), which it would take for the id order.
  f.where = absl::StrCat(
      " WHERE ", storage::Column("campaign_id", q.enterprise.empty()), " = ?");
  if (!q.enterprise.empty()) absl::StrAppend(&f.where, " AND enterprise = ?");
  f.params.push_back(Param(q.campaign_id));
  if (!q.enterprise.empty()) f.params.push_back(Param(q.enterprise));
  if (!q.region.empty()) {
    // A region's submissions come from curation_submissions_region and are
    // sorted; on the primary key in id order SQLite would skip the sort
    // and read the whole campaign instead. An applicant's are fewer still.
    f.id = storage::Column("id", !q.enterprise.empty());
    absl::StrAppend(&f.where, " AND ", kRegionWithin);
    f.params.push_back(Param(q.region));
    f.params.push_back(Param(q.region));
  }
  if (q.state != Submission::STATE_UNSPECIFIED) {
    absl::StrAppend(&f.where, " AND state = ?");
    f.params.push_back(Param(static_cast<int>(q.state)));
  }
  if (q.result != Decision::RESULT_UNSPECIFIED) {
    absl::StrAppend(&f.where, " AND state = 5 AND result = ?");
    f.params.push_back(Param(static_cast<int>(q.result)));
  }
  return f;
}

}  // namespace

absl::StatusOr<std::vector<Submission>> ListSubmissions(
    storage::Transaction& tx, const SubmissionQuery& q) {
  Filter f = FilterFor(q);
  f.params.push_back(Param(q.after_id));
  f.params.push_back(Param(q.limit));
  std::vector<Submission> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kColumns, " FROM curation_submissions", f.where,
                   " AND ", f.id, " > ? ORDER BY ", f.id, " LIMIT ?"),
      f.params, [&](const storage::Row& row) {
        out.emplace_back();
        return Assemble(row, 0, &out.back());
      }));
  return out;
}

absl::StatusOr<int64_t> CountSubmissions(storage::Transaction& tx,
                                         const SubmissionQuery& q) {
  const Filter f = FilterFor(q);
  return storage::QueryInt(
      tx, absl::StrCat("SELECT COUNT(*) FROM curation_submissions", f.where),
      f.params);
}

absl::StatusOr<int64_t> CountInState(storage::Transaction& tx,
                                     absl::string_view campaign_id,
                                     Submission::State state) {
  return storage::QueryInt(
      tx,
      "SELECT COUNT(*) FROM curation_submissions WHERE campaign_id = ? AND "
      "state = ?",
      {Param(campaign_id), Param(static_cast<int>(state))});
}

}  // namespace jalin::curation::store
