#include "services/notification/notification_module.h"

#include "absl/strings/str_cat.h"
#include "common/events/event_builder.h"
#include "common/log/log.h"
#include "common/rpc/client.h"
#include "common/status/status_macros.h"
#include "services/notification/policy.h"
#include "services/notification/schema.h"

namespace jalin::notification {

NotificationModule::NotificationModule(ServiceRuntime& rt,
                                       const NotificationSettings& settings)
    : rt_(rt),
      settings_(settings),
      policy_(MakeNotificationPolicy(&rt.authenticator())),
      notifications_(rt.db()),
      subscriptions_(rt.db()),
      webhooks_(rt.db()),
      table_(&subscriptions_, &webhooks_) {}

NotificationModule::~NotificationModule() { Stop(); }

absl::StatusOr<std::unique_ptr<NotificationModule>> NotificationModule::Create(
    ServiceRuntime& rt, const NotificationSettings& settings) {
  if (rt.db() == nullptr) {
    return absl::FailedPreconditionError("JALIN_STORE: a store is required");
  }
  std::unique_ptr<NotificationModule> m(new NotificationModule(rt, settings));
  RETURN_IF_ERROR(m->Init());
  return m;
}

absl::Status NotificationModule::Init() {
  storage::Database& db = *rt_.db();
  RETURN_IF_ERROR(MigrateSchema(db));
  RETURN_IF_ERROR(table_.ReloadSubscriptions());
  RETURN_IF_ERROR(table_.ReloadWebhooks());

  // Checkpoints off the consumers' commit path (see sqlite_checkpointer.h).
  if (settings_.store_checkpoint_interval > absl::ZeroDuration()) {
    checkpointer_ = std::make_unique<storage::SqliteCheckpointer>(
        rt_.sqlite_db(),
        storage::CheckpointerOptions{
            .path = rt_.settings().store,
            .interval = settings_.store_checkpoint_interval,
            .on_writers_held =
                rt_.host().metrics().StoreWritersHeldRecorder()});
    if (absl::Status s = checkpointer_->Start(); !s.ok()) {
      log::Warn(
          "background checkpoints unavailable: SQLite checkpoints in "
          "the committing thread",
          {{"error", std::string(s.message())}});
      checkpointer_.reset();
    }
  }

  // Region names only make the text friendlier: without the data file the
  // service runs and shows region codes.
  const std::string regions_path =
      regions::DefaultRegionsPath(rt_.settings().data_dir);
  absl::StatusOr<regions::RegionTable> region_table =
      regions::RegionTable::Load(regions_path);
  if (region_table.ok()) {
    regions_ = *std::move(region_table);
  } else {
    log::Warn("region names unavailable: texts show region codes",
              {{"setting", "JALIN_DATA_DIR"},
               {"error", std::string(region_table.status().message())}});
  }
  renderer_ =
      std::make_unique<Renderer>(regions_.has_value() ? &*regions_ : nullptr);

  registry_ = registry::v1::RegistryService::NewStub(
      rpc::MakeChannel(settings_.registry_address));
  directory_ = std::make_unique<RegistryClusterDirectory>(
      registry_.get(), &rt_.service_token(), &rt_.clock(),
      DirectoryOptions{.timeout = settings_.registry_timeout,
                       .ttl = settings_.contact_cache_ttl});

  HubOptions hub_options;
  hub_options.session.queue_limit =
      static_cast<size_t>(settings_.stream_queue_limit);
  hub_options.session.page_size = static_cast<int>(settings_.stream_page_size);
  hub_ = std::make_unique<LiveHub>(&notifications_, hub_options);
  RETURN_IF_ERROR(hub_->Start());

  absl::StatusOr<AddressPolicy> parsed =
      AddressPolicy::Parse(settings_.webhook_allowed_networks);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JALIN_WEBHOOK_ALLOWED_NETWORKS: ", parsed.status().message()));
  }
  const AddressPolicy addresses = *std::move(parsed);
  http_ = std::make_unique<CurlHttpClient>(addresses);

  DispatcherOptions dispatch;
  dispatch.workers = static_cast<int>(settings_.webhook_workers);
  dispatch.max_in_flight_per_webhook =
      static_cast<int>(settings_.webhook_max_in_flight);
  dispatch.request_timeout = settings_.webhook_timeout;
  dispatch.backoff = {
      .initial = settings_.webhook_retry_initial,
      .max = settings_.webhook_retry_max,
      .max_attempts = static_cast<int>(settings_.webhook_max_attempts)};
  dispatcher_ = std::make_unique<DeliveryDispatcher>(
      &webhooks_, &table_, http_.get(), &rt_.clock(), dispatch);

  LiveHub* hub = hub_.get();
  DeliveryDispatcher* dispatcher = dispatcher_.get();
  router_ = std::make_unique<Router>(
      renderer_.get(), directory_.get(), &table_, &rt_.clock(),
      RouterHooks{
          .notifications_committed =
              [hub](std::vector<StoredNotification> added) {
                hub->Publish(std::move(added));
              },
          .deliveries_committed = [dispatcher] { dispatcher->Notify(); }});
  janitor_ = std::make_unique<Janitor>(
      &notifications_, &webhooks_, &rt_.clock(),
      JanitorOptions{.retention = settings_.inbox_retention,
                     .interval = settings_.retention_interval});

  RoutingTable* table = &table_;
  inbox_api_ =
      std::make_unique<InboxApi>(&policy_, &db, &notifications_, &requests_);
  subscription_api_ = std::make_unique<SubscriptionApi>(
      &policy_, &db, &subscriptions_, &requests_, &rt_.clock(), [table] {
        absl::Status s = table->ReloadSubscriptions();
        if (!s.ok()) {
          log::Error("reloading subscriptions failed",
                     {{"error", std::string(s.message())}});
        }
      });
  webhook_api_ = std::make_unique<WebhookApi>(
      &policy_, &db, &webhooks_, &requests_, &rt_.clock(),
      WebhookApiOptions{.require_https = settings_.webhook_require_https,
                        .addresses = addresses},
      WebhookHooks{
          .webhooks_changed =
              [table, dispatcher] {
                absl::Status s = table->ReloadWebhooks();
                if (!s.ok()) {
                  log::Error("reloading webhooks failed",
                             {{"error", std::string(s.message())}});
                }
                dispatcher->Notify();
              },
          .deliveries_changed = [dispatcher] { dispatcher->Notify(); }});
  service_ = std::make_unique<NotificationServiceImpl>(
      inbox_api_.get(), subscription_api_.get(), webhook_api_.get(),
      hub_.get());
  rt_.host().AddService(service_.get());

  Router* router = router_.get();
  for (const std::string& source : settings_.Sources()) {
    events::ConsumerOptions options;
    options.stream = events::StreamName(source);
    options.group = "notification";
    options.consumer = rt_.settings().consumer_name;
    options.batch_size = static_cast<int>(settings_.consumer_batch);
    consumers_.push_back(std::make_unique<events::EventConsumer>(
        &rt_.redis(), &db, options,
        [router](const events::v1::Event& event, storage::Transaction* tx) {
          return router->Route(event, *tx);
        }));
  }
  // Consumers follow Redis: without it nothing new arrives, but inboxes,
  // streams of what is stored, and webhook retries go on. Before Start()
  // the consumers have not read yet, which is no fault.
  std::vector<events::EventConsumer*> consumers;
  for (auto& c : consumers_) consumers.push_back(c.get());
  const std::atomic<bool>* started = &started_;
  rt_.host().AddReadinessCheck(
      "events",
      [consumers, started]() -> absl::Status {
        if (!started->load()) return absl::OkStatus();
        for (events::EventConsumer* c : consumers) {
          if (!c->healthy()) {
            return absl::UnavailableError("an event consumer cannot read");
          }
        }
        return absl::OkStatus();
      },
      /*required=*/false);
  return absl::OkStatus();
}

absl::Status NotificationModule::Start() {
  dispatcher_->Start();
  janitor_->Start();
  for (auto& c : consumers_) c->Start();
  started_ = true;
  log::Info(
      "notification service started",
      {{"sources", settings_.event_sources},
       {"subscriptions", static_cast<int64_t>(table_.subscriptions()->size())},
       {"webhooks", static_cast<int64_t>(table_.webhooks()->webhooks.size())}});
  return absl::OkStatus();
}

void NotificationModule::Stop() {
  for (auto& c : consumers_) c->Stop();
  if (hub_ != nullptr) hub_->Stop();
  if (dispatcher_ != nullptr) dispatcher_->Stop();
  if (janitor_ != nullptr) janitor_->Stop();
  if (checkpointer_ != nullptr) checkpointer_->Stop();
}

}  // namespace jalin::notification
