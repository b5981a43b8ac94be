#include "tests/services/registry/registry_test_env.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/client.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace jalin::registry::testing {

absl::StatusOr<std::unique_ptr<RegistryEnv>> RegistryEnv::Start(
    const std::vector<std::string>& env) {
  std::unique_ptr<RegistryEnv> e(new RegistryEnv());
  std::vector<std::string> settings = {
      // A killed process must not lose what was acknowledged; power loss
      // is not part of these tests.
      "JALIN_STORE_SYNC=normal", "JALIN_REDIS_TIMEOUT=500ms"};
  settings.insert(settings.end(), env.begin(), env.end());
  if (absl::Status s = e->suite_.Start({"registry"}, {{"registry", settings}});
      !s.ok()) {
    return s;
  }
  e->Connect();
  return e;
}

void RegistryEnv::Connect() {
  stub_ = v1::RegistryService::NewStub(
      rpc::MakeChannel(suite_.address("registry")));
  redis_ = std::make_unique<redis::Client>(
      redis::Options{.address = suite_.redis().address()});
}

absl::Status RegistryEnv::Restart() {
  absl::Status s = suite_.Restart("registry");
  if (s.ok()) Connect();
  return s;
}

std::string RegistryEnv::Token(auth::Role role,
                               std::vector<std::string> regions,
                               std::string organization,
                               std::string source_system,
                               std::string subject) const {
  auth::Principal p;
  p.role = role;
  p.subject = subject.empty()
                  ? absl::StrCat("users/test-", auth::RoleName(role))
                  : subject;
  p.regions = std::move(regions);
  p.organization = std::move(organization);
  p.source_system = std::move(source_system);
  return suite_.Token(p);
}

std::unique_ptr<grpc::ClientContext> RegistryEnv::Context(
    const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  rpc::PrepareContext(ctx.get(), absl::Seconds(30), token);
  return ctx;
}

absl::StatusOr<std::vector<jalin::events::v1::Event>> RegistryEnv::Events() {
  absl::StatusOr<redis::Reply> r =
      redis_->Command({"XRANGE", "jalin.registry.events", "-", "+"});
  if (!r.ok()) return r.status();
  std::vector<jalin::events::v1::Event> out;
  for (const redis::Reply& entry : r->elements) {
    const redis::Reply& fields = entry.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      if (fields.elements[i].str == "event") {
        out.emplace_back().ParseFromString(fields.elements[i + 1].str);
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<jalin::events::v1::Event>>
RegistryEnv::WaitForEvents(size_t n, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    absl::StatusOr<std::vector<jalin::events::v1::Event>> events = Events();
    if (events.ok() && events->size() >= n) return events;
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("stream holds ", events.ok() ? events->size() : 0,
                       " of ", n, " events"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::StatusOr<std::vector<jalin::events::v1::Event>> RegistryEnv::Settle() {
  // The marker: a cluster with a fresh id.
  v1::CreateClusterRequest marker;
  marker.set_cluster_id(absl::StrCat("marker-", ++markers_));
  marker.mutable_cluster()->set_display_name("Penanda");
  marker.mutable_cluster()->mutable_location()->set_region("regions/11.01");
  marker.mutable_cluster()->set_sector("categories/kerajinan");
  v1::Cluster out;
  auto ctx = Context(AdminToken());
  grpc::Status s = stub_->CreateCluster(ctx.get(), marker, &out);
  if (!s.ok()) return absl::InternalError(s.error_message());
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (true) {
    absl::StatusOr<std::vector<jalin::events::v1::Event>> events = Events();
    if (events.ok() && CountEvents(*events, "jalin.registry.cluster.created",
                                   out.name()) == 1) {
      return events;
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError("marker event not published");
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

int RegistryEnv::CountEvents(
    const std::vector<jalin::events::v1::Event>& events, absl::string_view type,
    absl::string_view subject) {
  int n = 0;
  for (const auto& e : events) {
    if (e.type() == type && e.subject() == subject) ++n;
  }
  return n;
}

CallError ErrorOf(const grpc::Status& status) {
  CallError e;
  e.code = status.error_code();
  e.message = status.error_message();
  absl::Status s = FromGrpcStatus(status);
  if (auto bad = GetBadRequest(s)) {
    for (const auto& v : bad->field_violations()) {
      e.violations.push_back(absl::StrCat(v.field(), ": ", v.description()));
    }
  }
  if (auto info = GetErrorInfo(s)) e.reason = info->reason();
  return e;
}

CallError ErrorOf(const v1::ImportRecordResult& result) {
  return ErrorOf(grpc::Status(
      static_cast<grpc::StatusCode>(result.error().code()),
      result.error().message(), result.error().SerializeAsString()));
}

ImportRun Import(RegistryEnv& env, const std::string& token,
                 const std::vector<v1::ImportRecordsRequest>& batches,
                 const std::function<void(int answers)>& on_answer) {
  auto ctx = RegistryEnv::Context(token);
  auto stream = env.stub().ImportRecords(ctx.get());
  std::thread writer([&] {
    for (const auto& b : batches) {
      if (!stream->Write(b)) break;
    }
    stream->WritesDone();
  });
  ImportRun run;
  v1::ImportRecordsResponse answer;
  while (stream->Read(&answer)) {
    run.answers.push_back(answer);
    if (on_answer) on_answer(static_cast<int>(run.answers.size()));
  }
  writer.join();
  run.status = stream->Finish();
  return run;
}

void RegistrySuiteTest::SetUpTestSuite() {
  auto env = RegistryEnv::Start();
  ASSERT_TRUE(env.ok()) << env.status();
  env_ = env->release();
}

void RegistrySuiteTest::TearDownTestSuite() {
  delete env_;
  env_ = nullptr;
}

v1::Enterprise RegistrySuiteTest::CreateEnterprise(const v1::Enterprise& e,
                                                   const std::string& token) {
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() = e;
  v1::Enterprise out;
  grpc::Status s = Call(env(), token.empty() ? Admin() : token,
                        &Stub::CreateEnterprise, req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

v1::Cluster RegistrySuiteTest::CreateCluster(const v1::Cluster& c,
                                             const std::string& token) {
  v1::CreateClusterRequest req;
  *req.mutable_cluster() = c;
  v1::Cluster out;
  grpc::Status s = Call(env(), token.empty() ? Admin() : token,
                        &Stub::CreateCluster, req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

v1::Enterprise SampleEnterprise(const std::string& region,
                                const std::string& display_name) {
  v1::Enterprise e;
  e.set_display_name(display_name);
  e.set_scale(v1::MIKRO);
  e.mutable_location()->set_region(region);
  e.add_categories("categories/jamu-gendong");
  auto* c = e.add_contacts();
  c->set_display_name("Bu Sri");
  c->set_role("Pemilik");
  c->set_phone("081234567890");
  c->set_email("sri@example.id");
  return e;
}

v1::Cluster SampleCluster(const std::string& region,
                          const std::string& display_name,
                          const std::string& sector) {
  v1::Cluster c;
  c.set_display_name(display_name);
  c.mutable_location()->set_region(region);
  c.set_sector(sector);
  c.add_roles(v1::PRODUCER);
  c.set_member_count(40);
  c.mutable_leader()->set_display_name("Pak Joko");
  c.mutable_leader()->set_phone("+6281122334455");
  return c;
}

v1::Listing SampleListing(const std::string& owner, const std::string& title,
                          const std::string& category) {
  v1::Listing l;
  l.set_kind(v1::Listing::OFFER);
  l.set_owner(owner);
  l.set_category(category);
  l.set_title(title);
  l.mutable_quantity()->set_amount(2);
  l.mutable_quantity()->set_unit(jalin::type::v1::TON);
  l.mutable_quantity()->set_period(jalin::type::v1::MONTH);
  l.set_continuity(v1::Listing::CONTINUOUS);
  return l;
}

}  // namespace jalin::registry::testing
