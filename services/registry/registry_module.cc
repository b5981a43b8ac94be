#include "services/registry/registry_module.h"

#include "absl/strings/str_cat.h"
#include "common/events/event_builder.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/registry/policy.h"
#include "services/registry/schema.h"
#include "services/registry/taxonomy_files.h"
#include "services/registry/taxonomy_store.h"

namespace jalin::registry {

void RegistrySettings::Register(Config& config) {
  config.AddDuration("cache_ttl", &cache_ttl,
                     "How long Get answers stay in the Redis cache");
  config.AddInt("import_max_batch_records", &import_max_batch_records,
                "Most records in one ImportRecords batch", 1, 100'000);
}

RegistryModule::RegistryModule(ServiceRuntime& rt,
                               const RegistrySettings& settings,
                               regions::RegionTable regions,
                               int64_t revision_floor)
    : rt_(rt),
      regions_(std::move(regions)),
      revisions_(&rt.clock(), revision_floor),
      cache_(&rt.redis(), &rt.clock(), {.ttl = settings.cache_ttl}),
      deps_{.db = rt.db(),
            .request_log = &request_log_,
            .taxonomy = &taxonomy_,
            .cache = &cache_,
            .clock = &rt.clock(),
            .write = {.outbox = rt.outbox(),
                      .cache = &cache_,
                      .revisions = &revisions_,
                      .regions = &regions_}},
      policy_(RegistryPolicy(&rt.authenticator())),
      import_(&deps_, static_cast<int>(settings.import_max_batch_records)),
      service_(&policy_, &deps_, &import_),
      curation_(&deps_),
      consumer_(
          &rt.redis(), rt.db(),
          {.stream = events::StreamName("curation"),
           .group = "registry",
           .consumer = rt.settings().consumer_name},
          [this](const jalin::events::v1::Event& e, storage::Transaction* tx) {
            return curation_.Apply(e, tx);
          }) {}

absl::StatusOr<std::unique_ptr<RegistryModule>> RegistryModule::Create(
    ServiceRuntime& rt, const RegistrySettings& settings) {
  const std::string data_dir = rt.settings().data_dir;
  absl::StatusOr<regions::RegionTable> regions =
      regions::RegionTable::Load(regions::DefaultRegionsPath(data_dir));
  if (!regions.ok()) return Annotate(regions.status(), "JALIN_DATA_DIR");
  RETURN_IF_ERROR(Annotate(MigrateRegistry(*rt.db()), "registry store"));
  // Above every revision handed out before, whatever the clock says now.
  absl::StatusOr<int64_t> revision_floor = LoadRevisionFloor(*rt.db());
  if (!revision_floor.ok()) {
    return Annotate(revision_floor.status(), "registry store");
  }
  absl::StatusOr<TaxonomyFiles> files =
      LoadTaxonomyFiles(TaxonomyDir(data_dir));
  if (!files.ok()) return Annotate(files.status(), "JALIN_DATA_DIR");

  std::unique_ptr<RegistryModule> m(
      new RegistryModule(rt, settings, *std::move(regions), *revision_floor));
  ASSIGN_OR_RETURN(int added, SeedTaxonomy(*rt.db(), m->deps_.write, *files,
                                           rt.clock().Now()));
  ASSIGN_OR_RETURN(std::shared_ptr<const TaxonomyData> taxonomy,
                   LoadTaxonomy(*rt.db()));
  log::Info("taxonomy loaded", {{"categories", taxonomy->categories().size()},
                                {"supply_links", taxonomy->links().size()},
                                {"added_from_files", added}});
  m->taxonomy_.Set(std::move(taxonomy));
  rt.host().AddService(&m->service_);
  return m;
}

absl::Status RegistryModule::Start() {
  consumer_.Start();
  return absl::OkStatus();
}

void RegistryModule::Stop() { consumer_.Stop(); }

}  // namespace jalin::registry
