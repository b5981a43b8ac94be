#include "services/registry/curation_sync.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "jalin/curation/v1/submission.pb.h"
#include "jalin/curation/v1/verification.pb.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "services/registry/record_events.h"
#include "services/registry/record_store.h"
#include "services/registry/side_effects.h"
#include "services/registry/time_util.h"

namespace jalin::registry {
namespace {

namespace cv1 = jalin::curation::v1;
namespace ev1 = jalin::events::v1;

constexpr absl::string_view kDecided = "jalin.curation.submission.decided";
constexpr absl::string_view kResolved = "jalin.curation.verification.resolved";

// Loads record `id` of kind T, lets `change` modify it and, if it did,
// stores it and announces it with `verb`. A missing record is skipped.
template <typename T, typename Change>
absl::Status ChangeRecord(WriteScope& scope, absl::string_view id,
                          absl::string_view verb, Change change) {
  ASSIGN_OR_RETURN(std::optional<T> before, LoadRecord<T>(scope.tx(), id));
  if (!before) {
    log::Info("curation event for a record that is gone",
              {{"record", absl::StrCat(Kind<T>::kCollection, "/", id)}});
    return absl::OkStatus();
  }
  T after = *before;
  change(&after);
  if (google::protobuf::util::MessageDifferencer::Equals(after, *before)) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
  scope.Stamp(after.mutable_meta(), revision, /*created=*/false);
  RETURN_IF_ERROR(SaveRecord(scope.tx(), scope.taxonomy(), after, false));
  RETURN_IF_ERROR(EmitRecordEvent(scope, verb, after));
  RETURN_IF_ERROR(AfterChange(scope, &*before, &after));
  scope.Invalidate(after.name(), revision);
  return absl::OkStatus();
}

absl::Status ApplyDecision(WriteScope& scope, const ev1::SubmissionEvent& e) {
  const cv1::Submission& s = e.submission();
  if (s.decision().result() != cv1::Decision::PASSED) return absl::OkStatus();
  const std::string id = IdOf(s.enterprise(), "enterprises");
  if (id.empty()) return absl::OkStatus();
  v1::CurationMark mark;
  const size_t cut = s.name().find("/submissions");
  mark.set_campaign(cut == std::string::npos ? s.name()
                                             : s.name().substr(0, cut));
  mark.set_product(s.product_name());
  mark.set_grade(s.decision().grade());
  if (e.validity_days() > 0) {
    *mark.mutable_expire_date() =
        DateOf(FromTimestamp(s.decision().decide_time()) +
               absl::Hours(24) * e.validity_days());
  }
  return ChangeRecord<v1::Enterprise>(
      scope, id, "curated", [&mark](v1::Enterprise* ent) {
        // One mark per campaign and product: a new decision replaces it.
        for (v1::CurationMark& m : *ent->mutable_curation_marks()) {
          if (m.campaign() == mark.campaign() &&
              m.product() == mark.product()) {
            m = mark;
            return;
          }
        }
        *ent->add_curation_marks() = mark;
      });
}

absl::Status ApplyResolution(WriteScope& scope,
                             const ev1::VerificationEvent& e) {
  const cv1::VerificationTask& t = e.task();
  v1::VerificationState state;
  switch (t.resolution()) {
    case cv1::VerificationTask::VERIFY:
      state = v1::VERIFIED;
      break;
    case cv1::VerificationTask::REJECT:
      state = v1::REJECTED;
      break;
    case cv1::VerificationTask::MERGE:
      state = v1::MERGED;
      break;
    default:
      return absl::OkStatus();
  }
  const std::string merge_into =
      state == v1::MERGED ? t.merge_into() : std::string();
  constexpr absl::string_view kVerb = "verification_changed";
  if (std::string id = IdOf(t.record(), "enterprises"); !id.empty()) {
    return ChangeRecord<v1::Enterprise>(scope, id, kVerb,
                                        [&](v1::Enterprise* r) {
                                          r->set_verification_state(state);
                                          r->set_merged_into(merge_into);
                                        });
  }
  if (std::string id = IdOf(t.record(), "clusters"); !id.empty()) {
    return ChangeRecord<v1::Cluster>(scope, id, kVerb, [&](v1::Cluster* r) {
      r->set_verification_state(state);
    });
  }
  if (std::string id = IdOf(t.record(), "partners"); !id.empty()) {
    return ChangeRecord<v1::Partner>(scope, id, kVerb, [&](v1::Partner* r) {
      r->set_verification_state(state);
    });
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CurationSync::Apply(const ev1::Event& event,
                                 storage::Transaction* tx) const {
  if (event.type() != kDecided && event.type() != kResolved) {
    return absl::OkStatus();
  }
  WriteScope scope(
      *tx, deps_->write, deps_->taxonomy->Get(), deps_->clock->Now(),
      event.actor().empty() ? "services/curation" : event.actor(), "");
  if (event.type() == kDecided) {
    ev1::SubmissionEvent payload;
    if (!event.data().UnpackTo(&payload)) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", event.id(), ": not a SubmissionEvent"));
    }
    return ApplyDecision(scope, payload);
  }
  ev1::VerificationEvent payload;
  if (!event.data().UnpackTo(&payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.id(), ": not a VerificationEvent"));
  }
  return ApplyResolution(scope, payload);
}

}  // namespace jalin::registry
