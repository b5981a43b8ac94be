// Submissions in the curation store. Functions run inside a transaction the
// caller holds; they keep no state and are thread-safe.

#ifndef SERVICES_CURATION_SUBMISSION_STORE_H_
#define SERVICES_CURATION_SUBMISSION_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/submission.pb.h"

namespace jalin::curation::store {

// The product name folded for the one-per-product rule: ASCII letters in
// lower case, runs of white space as one space, trimmed.
std::string ProductKey(absl::string_view product_name);

// "campaigns/{c}/submissions/{s}".
std::string SubmissionName(absl::string_view campaign_id,
                           absl::string_view submission_id);

// NOT_FOUND when absent.
absl::StatusOr<jalin::curation::v1::Submission> GetSubmission(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id);

// The id of the live (not withdrawn) submission of `enterprise` for
// `product_name` in the campaign, if any.
absl::StatusOr<std::optional<std::string>> FindLiveSubmission(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view enterprise, absl::string_view product_name);

// Inserts a new submission (name, enterprise, product, region, state set).
absl::Status InsertSubmission(storage::Transaction& tx,
                              const jalin::curation::v1::Submission& s);

// Replaces the stored submission, decision included.
absl::Status UpdateSubmission(storage::Transaction& tx,
                              const jalin::curation::v1::Submission& s);

// Sets the state of one submission.
absl::Status SetSubmissionState(storage::Transaction& tx,
                                absl::string_view campaign_id,
                                absl::string_view submission_id,
                                jalin::curation::v1::Submission::State state,
                                absl::Time now);

// Records a decision, given serialised, and state DECIDED without
// rewriting the rest.
absl::Status SetDecision(storage::Transaction& tx,
                         absl::string_view campaign_id,
                         absl::string_view submission_id,
                         jalin::curation::v1::Decision::Result result,
                         absl::string_view decision_bytes, absl::Time now);

// The id, enterprise, product name and state of every submission of the
// campaign, in id order; the views die with each call.
absl::Status ForEachSubmissionKey(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<
        absl::Status(absl::string_view id, absl::string_view enterprise,
                     absl::string_view product_name,
                     jalin::curation::v1::Submission::State state)>
        fn);

// What ranking, assignment and statistics need of a submission, read
// without its body.
struct SubmissionBrief {
  std::string id;
  std::string enterprise;
  std::string product_name;
  std::string region;
  std::vector<std::string> clusters;
  jalin::curation::v1::Submission::State state;
  int32_t review_round = 0;
  jalin::curation::v1::Decision::Result result;
};

// Every submission of the campaign, in id order.
absl::Status ForEachSubmissionBrief(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(const SubmissionBrief&)> fn);

// Every submission of the campaign in `state`, in id order, with its body
// and decision.
absl::Status ForEachSubmissionIn(
    storage::Transaction& tx, absl::string_view campaign_id,
    jalin::curation::v1::Submission::State state,
    absl::FunctionRef<absl::Status(jalin::curation::v1::Submission&)> fn);

// The decision of each ranked submission: DECIDED ones, in id order.
absl::Status ForEachDecision(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(const SubmissionBrief&,
                                   const jalin::curation::v1::Decision&)>
        fn);

// What assignment needs of every submission of the campaign, in id order:
// id, applicant region, clusters (comma-separated), state and review round;
// the views die with each call.
absl::Status ForEachReviewTarget(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(
        absl::string_view id, absl::string_view region,
        absl::string_view clusters,
        jalin::curation::v1::Submission::State state, int32_t review_round)>
        fn);

// Moves every submission of the campaign in state `from` to `to`.
absl::Status SetStateOfAll(storage::Transaction& tx,
                           absl::string_view campaign_id,
                           jalin::curation::v1::Submission::State from,
                           jalin::curation::v1::Submission::State to,
                           absl::Time now);

struct SubmissionQuery {
  std::string campaign_id = {};
  // Applicants in this region or within it (a province takes in its
  // kabupaten/kota); empty for all.
  std::string region = {};
  jalin::curation::v1::Submission::State state =
      jalin::curation::v1::Submission::STATE_UNSPECIFIED;
  jalin::curation::v1::Decision::Result result =
      jalin::curation::v1::Decision::RESULT_UNSPECIFIED;
  std::string enterprise = {};
  std::string after_id = {};
  int limit = 50;
};

absl::StatusOr<std::vector<jalin::curation::v1::Submission>> ListSubmissions(
    storage::Transaction& tx, const SubmissionQuery& query);
// Matches of `query` on every page (after_id and limit ignored).
absl::StatusOr<int64_t> CountSubmissions(storage::Transaction& tx,
                                         const SubmissionQuery& query);

// Submissions of the campaign per state.
absl::StatusOr<int64_t> CountInState(
    storage::Transaction& tx, absl::string_view campaign_id,
    jalin::curation::v1::Submission::State state);

}  // namespace jalin::curation::store

#endif  // SERVICES_CURATION_SUBMISSION_STORE_H_
