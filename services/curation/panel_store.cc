#include "services/curation/panel_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status/status_macros.h"
#include "services/curation/store_util.h"

namespace jalin::curation::store {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Review;
using ::jalin::curation::v1::Reviewer;
using storage::Param;

// --- reviewers ---------------------------------------------------------

std::string ReviewerName(absl::string_view campaign_id,
                         absl::string_view reviewer_id) {
  return absl::StrCat("campaigns/", campaign_id, "/reviewers/", reviewer_id);
}

namespace {

// A reviewer's stored body, without its assignment counts (computed when
// read).
std::string ReviewerBlob(const Reviewer& reviewer) {
  Reviewer body = reviewer;
  body.clear_open_assignments();
  body.clear_reviewed_assignments();
  return Blob(body);
}

}  // namespace

absl::Status InsertReviewer(storage::Transaction& tx,
                            absl::string_view campaign_id,
                            absl::string_view reviewer_id,
                            const Reviewer& reviewer) {
  const std::string bytes = ReviewerBlob(reviewer);
  return tx.Exec(
      "INSERT INTO curation_reviewers (campaign_id, id, subject, removed, "
      "body) VALUES (?, ?, ?, 0, ?)",
      {Param(campaign_id), Param(reviewer_id), Param(reviewer.subject()),
       Param::Blob(bytes)});
}

absl::StatusOr<Reviewer> GetActiveReviewer(storage::Transaction& tx,
                                           absl::string_view campaign_id,
                                           absl::string_view reviewer_id) {
  Reviewer r;
  bool found = false;
  RETURN_IF_ERROR(tx.Query(
      "SELECT body FROM curation_reviewers WHERE campaign_id = ? AND id = ? "
      "AND removed = 0",
      {Param(campaign_id), Param(reviewer_id)}, [&](const storage::Row& row) {
        found = true;
        return ParseBlob(row.Blob(0), &r, "reviewer");
      }));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat(ReviewerName(campaign_id, reviewer_id), " not found"));
  }
  return r;
}

namespace {

// The newest reviewer id of `subject` in the pool (removed = 0) or among
// those removed from it (removed = 1).
absl::StatusOr<std::optional<std::string>> ReviewerOfSubject(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view subject, int removed) {
  std::optional<std::string> id;
  RETURN_IF_ERROR(
      tx.Query("SELECT id FROM curation_reviewers WHERE campaign_id = ? AND "
               "subject = ? AND removed = ? ORDER BY id DESC LIMIT 1",
               {Param(campaign_id), Param(subject), Param(removed)},
               [&](const storage::Row& row) {
                 id = std::string(row.Text(0));
                 return absl::OkStatus();
               }));
  return id;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> FindReviewerBySubject(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view subject) {
  return ReviewerOfSubject(tx, campaign_id, subject, 0);
}

absl::StatusOr<std::optional<std::string>> FindRemovedReviewerBySubject(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view subject) {
  return ReviewerOfSubject(tx, campaign_id, subject, 1);
}

absl::Status ReactivateReviewer(storage::Transaction& tx,
                                absl::string_view campaign_id,
                                absl::string_view reviewer_id,
                                const Reviewer& reviewer) {
  const std::string bytes = ReviewerBlob(reviewer);
  return tx.Exec(
      "UPDATE curation_reviewers SET removed = 0, body = ? WHERE "
      "campaign_id = ? AND id = ? AND subject = ?",
      {Param::Blob(bytes), Param(campaign_id), Param(reviewer_id),
       Param(reviewer.subject())});
}

absl::Status MarkReviewerRemoved(storage::Transaction& tx,
                                 absl::string_view campaign_id,
                                 absl::string_view reviewer_id) {
  return tx.Exec(
      "UPDATE curation_reviewers SET removed = 1 WHERE campaign_id = ? AND "
      "id = ?",
      {Param(campaign_id), Param(reviewer_id)});
}

absl::StatusOr<std::vector<std::pair<std::string, Reviewer>>>
ListActiveReviewers(storage::Transaction& tx, absl::string_view campaign_id,
                    absl::string_view after_id, int limit) {
  std::vector<std::pair<std::string, Reviewer>> out;
  RETURN_IF_ERROR(tx.Query(
      "SELECT id, body FROM curation_reviewers WHERE campaign_id = ? AND "
      "removed = 0 AND id > ? ORDER BY id LIMIT ?",
      {Param(campaign_id), Param(after_id),
       Param(limit > 0 ? limit : INT32_MAX)},
      [&](const storage::Row& row) {
        out.emplace_back(std::string(row.Text(0)), Reviewer());
        return ParseBlob(row.Blob(1), &out.back().second, "reviewer");
      }));
  return out;
}

absl::StatusOr<absl::flat_hash_map<std::string, Load>> ReviewerLoads(
    storage::Transaction& tx, absl::string_view campaign_id) {
  absl::flat_hash_map<std::string, Load> loads;
  RETURN_IF_ERROR(tx.Query(
      "SELECT reviewer_id, state, COUNT(*) FROM curation_assignments "
      "WHERE campaign_id = ? AND state IN (?, ?) GROUP BY reviewer_id, state",
      {Param(campaign_id), Param(static_cast<int>(Assignment::OPEN)),
       Param(static_cast<int>(Assignment::REVIEWED))},
      [&](const storage::Row& row) {
        Load& l = loads[std::string(row.Text(0))];
        if (row.Int(1) == Assignment::OPEN) {
          l.open = static_cast<int32_t>(row.Int(2));
        } else {
          l.reviewed = static_cast<int32_t>(row.Int(2));
        }
        return absl::OkStatus();
      }));
  return loads;
}

// --- assignments -------------------------------------------------------

namespace {

constexpr absl::string_view kAssignmentColumns =
    "submission_id, reviewer_id, review_round, state, create_time";

AssignmentRow ReadAssignment(const storage::Row& row) {
  AssignmentRow a;
  a.submission_id = std::string(row.Text(0));
  a.reviewer_id = std::string(row.Text(1));
  a.review_round = static_cast<int32_t>(row.Int(2));
  a.state = static_cast<Assignment::State>(row.Int(3));
  a.create_time = FromMicros(row.Int(4));
  return a;
}

}  // namespace

Assignment ToAssignment(absl::string_view campaign_id,
                        const AssignmentRow& row) {
  Assignment a;
  a.set_name(absl::StrCat("campaigns/", campaign_id, "/submissions/",
                          row.submission_id, "/assignments/", row.reviewer_id));
  a.set_submission(absl::StrCat("campaigns/", campaign_id, "/submissions/",
                                row.submission_id));
  a.set_reviewer(ReviewerName(campaign_id, row.reviewer_id));
  a.set_state(row.state);
  ToProtoTime(row.create_time, a.mutable_create_time());
  a.set_review_round(row.review_round);
  return a;
}

absl::Status InsertAssignments(storage::Transaction& tx,
                               absl::string_view campaign_id,
                               const std::vector<AssignmentRow>& rows) {
  constexpr size_t kPerStatement = 100;
  std::vector<Param> params;
  std::vector<int64_t> micros;
  for (size_t from = 0; from < rows.size(); from += kPerStatement) {
    const size_t to = std::min(rows.size(), from + kPerStatement);
    std::string sql =
        "INSERT INTO curation_assignments (campaign_id, submission_id, "
        "reviewer_id, review_round, state, create_time) VALUES ";
    params.clear();
    for (size_t i = from; i < to; ++i) {
      const AssignmentRow& r = rows[i];
      absl::StrAppend(&sql, i == from ? "" : ", ", "(?, ?, ?, ?, ?, ?)");
      params.push_back(Param(campaign_id));
      params.push_back(Param(r.submission_id));
      params.push_back(Param(r.reviewer_id));
      params.push_back(Param(r.review_round));
      params.push_back(Param(static_cast<int>(r.state)));
      params.push_back(Param(Micros(r.create_time)));
    }
    // A reviewer who was removed and added again may get back a submission
    // it had handed over (REASSIGNED, never reviewed): the row is reused.
    absl::StrAppend(&sql,
                    " ON CONFLICT (campaign_id, submission_id, reviewer_id) "
                    "DO UPDATE SET review_round = excluded.review_round, "
                    "state = excluded.state, create_time = "
                    "excluded.create_time");
    RETURN_IF_ERROR(tx.Exec(sql, params));
  }
  return absl::OkStatus();
}

absl::Status SetAssignmentState(storage::Transaction& tx,
                                absl::string_view campaign_id,
                                absl::string_view submission_id,
                                absl::string_view reviewer_id,
                                Assignment::State state) {
  return tx.Exec(
      "UPDATE curation_assignments SET state = ? WHERE campaign_id = ? AND "
      "submission_id = ? AND reviewer_id = ?",
      {Param(static_cast<int>(state)), Param(campaign_id), Param(submission_id),
       Param(reviewer_id)});
}

absl::Status DeleteAssignment(storage::Transaction& tx,
                              absl::string_view campaign_id,
                              absl::string_view submission_id,
                              absl::string_view reviewer_id) {
  return tx.Exec(
      "DELETE FROM curation_assignments WHERE campaign_id = ? AND "
      "submission_id = ? AND reviewer_id = ?",
      {Param(campaign_id), Param(submission_id), Param(reviewer_id)});
}

absl::StatusOr<std::optional<AssignmentRow>> GetAssignment(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id, absl::string_view reviewer_id) {
  std::optional<AssignmentRow> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kAssignmentColumns,
                   " FROM curation_assignments WHERE campaign_id = ? AND "
                   "submission_id = ? AND reviewer_id = ?"),
      {Param(campaign_id), Param(submission_id), Param(reviewer_id)},
      [&](const storage::Row& row) {
        out = ReadAssignment(row);
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<AssignmentRow>> AssignmentsOfSubmission(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id) {
  std::vector<AssignmentRow> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT ", kAssignmentColumns,
                   " FROM curation_assignments WHERE campaign_id = ? AND "
                   "submission_id = ? ORDER BY reviewer_id"),
      {Param(campaign_id), Param(submission_id)}, [&](const storage::Row& row) {
        out.push_back(ReadAssignment(row));
        return absl::OkStatus();
      }));
  return out;
}

absl::Status ForEachAssignment(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(const AssignmentRow&)> fn) {
  // One row object, refilled: its strings keep their capacity.
  AssignmentRow a;
  return tx.Query(
      absl::StrCat("SELECT ", kAssignmentColumns,
                   " FROM curation_assignments WHERE campaign_id = ? "
                   "ORDER BY submission_id, reviewer_id"),
      {Param(campaign_id)}, [&](const storage::Row& row) {
        const absl::string_view submission = row.Text(0);
        const absl::string_view reviewer = row.Text(1);
        a.submission_id.assign(submission.data(), submission.size());
        a.reviewer_id.assign(reviewer.data(), reviewer.size());
        a.review_round = static_cast<int32_t>(row.Int(2));
        a.state = static_cast<Assignment::State>(row.Int(3));
        a.create_time = FromMicros(row.Int(4));
        return fn(a);
      });
}

absl::StatusOr<std::vector<AssignmentRow>> ListAssignments(
    storage::Transaction& tx, const AssignmentQuery& q) {
  std::vector<AssignmentRow> out;
  // Only the filters asked for: "(? = '' OR reviewer_id = ?)" would keep
  // curation_assignments_reviewer out of the plan (the value is bound after
  // planning), and a curator's list would read the whole campaign.
  std::string where = "campaign_id = ?";
  std::vector<Param> params = {Param(q.campaign_id)};
  if (!q.reviewer_id.empty()) {
    absl::StrAppend(&where, " AND reviewer_id = ?");
    params.push_back(Param(q.reviewer_id));
  }
  if (q.state != Assignment::STATE_UNSPECIFIED) {
    absl::StrAppend(&where, " AND state = ?");
    params.push_back(Param(static_cast<int>(q.state)));
  }
  for (Param p : {Param(q.after_submission), Param(q.after_submission),
                  Param(q.after_reviewer), Param(q.limit)}) {
    params.push_back(std::move(p));
  }
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(
          "SELECT ", kAssignmentColumns, " FROM curation_assignments WHERE ",
          where,
          " AND (submission_id > ? OR (submission_id = ? AND "
          "reviewer_id > ?)) ORDER BY submission_id, reviewer_id LIMIT ?"),
      params, [&](const storage::Row& row) {
        out.push_back(ReadAssignment(row));
        return absl::OkStatus();
      }));
  return out;
}

// --- reviews -----------------------------------------------------------

std::string ReviewName(absl::string_view campaign_id,
                       absl::string_view submission_id,
                       absl::string_view reviewer_id) {
  return absl::StrCat("campaigns/", campaign_id, "/submissions/", submission_id,
                      "/reviews/", reviewer_id);
}

absl::Status UpsertReview(storage::Transaction& tx,
                          absl::string_view campaign_id,
                          absl::string_view submission_id,
                          absl::string_view reviewer_id, const Review& review) {
  const int64_t update = Micros(FromProtoTime(review.update_time()));
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO curation_reviews (campaign_id, submission_id, reviewer_id, "
      "review_round, comment, update_time) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (campaign_id, submission_id, reviewer_id) DO UPDATE SET "
      "review_round = excluded.review_round, comment = excluded.comment, "
      "update_time = excluded.update_time",
      {Param(campaign_id), Param(submission_id), Param(reviewer_id),
       Param(review.review_round()), Param(review.comment()), Param(update)}));
  RETURN_IF_ERROR(
      tx.Exec("DELETE FROM curation_review_scores WHERE campaign_id = ? AND "
              "submission_id = ? AND reviewer_id = ?",
              {Param(campaign_id), Param(submission_id), Param(reviewer_id)}));
  for (const auto& [criterion, score] : review.scores()) {
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO curation_review_scores (campaign_id, submission_id, "
        "reviewer_id, review_round, criterion, score) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {Param(campaign_id), Param(submission_id), Param(reviewer_id),
         Param(review.review_round()), Param(criterion), Param(score)}));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Review>> ListReviews(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id, absl::string_view reviewer_id,
    absl::string_view after_reviewer, int limit) {
  std::vector<Review> out;
  std::vector<std::string> ids;
  RETURN_IF_ERROR(tx.Query(
      "SELECT reviewer_id, review_round, comment, update_time FROM "
      "curation_reviews WHERE campaign_id = ? AND submission_id = ? AND "
      "(? = '' OR reviewer_id = ?) AND reviewer_id > ? "
      "ORDER BY reviewer_id LIMIT ?",
      {Param(campaign_id), Param(submission_id), Param(reviewer_id),
       Param(reviewer_id), Param(after_reviewer), Param(limit)},
      [&](const storage::Row& row) {
        Review r;
        ids.emplace_back(row.Text(0));
        r.set_name(ReviewName(campaign_id, submission_id, ids.back()));
        r.set_submission(absl::StrCat("campaigns/", campaign_id,
                                      "/submissions/", submission_id));
        r.set_reviewer(ReviewerName(campaign_id, ids.back()));
        r.set_review_round(static_cast<int32_t>(row.Int(1)));
        r.set_comment(std::string(row.Text(2)));
        ToProtoTime(FromMicros(row.Int(3)), r.mutable_update_time());
        out.push_back(std::move(r));
        return absl::OkStatus();
      }));
  for (size_t i = 0; i < out.size(); ++i) {
    RETURN_IF_ERROR(
        tx.Query("SELECT criterion, score FROM curation_review_scores WHERE "
                 "campaign_id = ? AND submission_id = ? AND reviewer_id = ?",
                 {Param(campaign_id), Param(submission_id), Param(ids[i])},
                 [&](const storage::Row& row) {
                   (*out[i].mutable_scores())[std::string(row.Text(0))] =
                       static_cast<int32_t>(row.Int(1));
                   return absl::OkStatus();
                 }));
  }
  return out;
}

absl::Status ForEachScoreSum(
    storage::Transaction& tx, absl::string_view campaign_id,
    int32_t review_round,
    absl::FunctionRef<absl::Status(absl::string_view, absl::string_view,
                                   int64_t, int64_t)>
        fn) {
  return tx.Query(
      "SELECT submission_id, criterion, SUM(score), COUNT(*) FROM "
      "curation_review_scores WHERE campaign_id = ? AND review_round = ? "
      "GROUP BY submission_id, criterion ORDER BY submission_id, criterion",
      {Param(campaign_id), Param(review_round)}, [&](const storage::Row& row) {
        return fn(row.Text(0), row.Text(1), row.Int(2), row.Int(3));
      });
}

absl::Status ForEachScoreSumOf(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id, int32_t review_round,
    absl::FunctionRef<absl::Status(absl::string_view, int64_t, int64_t)> fn) {
  return tx.Query(
      "SELECT criterion, SUM(score), COUNT(*) FROM curation_review_scores "
      "WHERE campaign_id = ? AND review_round = ? AND submission_id = ? "
      "GROUP BY criterion",
      {Param(campaign_id), Param(review_round), Param(submission_id)},
      [&](const storage::Row& row) {
        return fn(row.Text(0), row.Int(1), row.Int(2));
      });
}

}  // namespace jalin::curation::store
