#include "services/curation/curation_module.h"

#include "absl/strings/str_cat.h"
#include "common/events/event_builder.h"
#include "common/rpc/client.h"
#include "common/rpc/health.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/curation/curation_schema.h"

namespace jalin::curation {

void CurationSettings::Register(Config& config) {
  config.AddString("registry_address", &registry_address,
                   "Registry gRPC address (host:port), asked about applicants");
  config.AddDuration("registry_timeout", &registry_timeout,
                     "Deadline of each call to the registry");
}

absl::StatusOr<std::unique_ptr<CurationModule>> CurationModule::Create(
    ServiceRuntime& rt, const CurationSettings& settings) {
  std::unique_ptr<CurationModule> m(new CurationModule);
  const std::string regions_path =
      regions::DefaultRegionsPath(rt.settings().data_dir);
  absl::StatusOr<regions::RegionTable> table =
      regions::RegionTable::Load(regions_path);
  if (!table.ok()) return Annotate(table.status(), "JALIN_DATA_DIR");
  m->regions_ = *std::move(table);
  RETURN_IF_ERROR(MigrateCurationSchema(*rt.db()));

  m->directory_ = std::make_unique<RegistryDirectory>(
      rpc::MakeChannel(settings.registry_address), &rt.service_token(),
      settings.registry_timeout);
  m->deps_.db = rt.db();
  m->deps_.events = EventWriter(rt.outbox());
  m->deps_.clock = &rt.clock();
  m->deps_.requests = &m->requests_;
  m->deps_.regions = &m->regions_;
  m->deps_.directory = m->directory_.get();
  m->service_ =
      std::make_unique<CurationService>(&rt.authenticator(), &m->deps_);
  rt.host().AddService(m->service_.get());

  VerificationQueue* queue = &m->service_->verification();
  events::ConsumerOptions options;
  options.stream = events::StreamName("registry");
  options.group = "curation";
  options.consumer = rt.settings().consumer_name;
  m->consumer_ = std::make_unique<events::EventConsumer>(
      &rt.redis(), rt.db(), options,
      [queue](const jalin::events::v1::Event& e, storage::Transaction* tx) {
        return queue->Apply(e, *tx);
      });
  events::EventConsumer* consumer = m->consumer_.get();
  // Optional: without the registry new submissions wait, everything else
  // works; without the event stream the queue falls behind and catches up.
  rt.host().AddReadinessCheck(
      "registry_events",
      [consumer]() {
        return consumer->healthy() ? absl::OkStatus()
                                   : absl::UnavailableError(
                                         "not reading jalin.registry.events");
      },
      /*required=*/false);
  const std::string registry = settings.registry_address;
  rt.host().AddReadinessCheck(
      "registry",
      [registry]() -> absl::Status {
        ASSIGN_OR_RETURN(std::string s,
                         rpc::CheckHealth(registry, "", absl::Seconds(1)));
        if (s == "SERVING") return absl::OkStatus();
        return absl::UnavailableError(absl::StrCat("registry is ", s));
      },
      /*required=*/false);
  return m;
}

CurationModule::~CurationModule() { Stop(); }

absl::Status CurationModule::Start() {
  consumer_->Start();
  return absl::OkStatus();
}

void CurationModule::Stop() {
  if (consumer_ != nullptr) consumer_->Stop();
}

}  // namespace jalin::curation
