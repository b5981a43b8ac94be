#include "tests/services/notification/service_fixture.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/client.h"

namespace jalin::notification::test {

auth::Principal Member(const std::string& organization) {
  auth::Principal p;
  p.subject = absl::StrCat("users/member-of-",
                           organization.substr(organization.find('/') + 1));
  p.role = auth::Role::kMember;
  p.organization = organization;
  return p;
}

auth::Principal Admin() {
  auth::Principal p;
  p.subject = "users/test-admin";
  p.role = auth::Role::kAdmin;
  return p;
}

auth::Principal Facilitator(const std::string& subject,
                            std::vector<std::string> regions) {
  auth::Principal p;
  p.subject = subject;
  p.role = auth::Role::kFacilitator;
  p.regions = std::move(regions);
  return p;
}

auth::Principal Integrator(const std::string& subject,
                           std::vector<std::string> regions) {
  auth::Principal p;
  p.subject = subject;
  p.role = auth::Role::kIntegrator;
  p.regions = std::move(regions);
  p.source_system = subject.substr(subject.find('/') + 1);
  return p;
}

ServiceTest::ServiceTest() : suite_(JALIN_BINARY_DIR) {}

ServiceTest::~ServiceTest() = default;

void ServiceTest::StartService(const std::vector<std::string>& env) {
  ASSERT_TRUE(registry_server_.ok());
  std::vector<std::string> all = {
      "JALIN_REGISTRY_ADDRESS=" + registry_server_.address(),
      absl::StrCat("JALIN_DATA_DIR=", JALIN_SOURCE_DIR, "/data"),
  };
  all.insert(all.end(), env.begin(), env.end());
  absl::Status started =
      suite_.Start({"notification"}, {{"notification", all}});
  ASSERT_TRUE(started.ok()) << started;
  redis_ = std::make_unique<redis::Client>(
      redis::Options{.address = suite_.redis().address()});
  stub_ = v1::NotificationService::NewStub(
      rpc::MakeChannel(suite_.address("notification")));
}

std::string ServiceTest::Token(const auth::Principal& p) const {
  return suite_.Token(p);
}

void ServiceTest::Prepare(grpc::ClientContext* ctx, const std::string& token,
                          absl::Duration timeout) {
  rpc::PrepareContext(ctx, timeout, token);
}

std::vector<v1::Notification> ServiceTest::ListAll(
    const std::string& recipient) {
  std::vector<v1::Notification> out;
  const std::string token = Token(Admin());
  v1::ListNotificationsRequest req;
  req.set_parent(absl::StrCat("recipients/",
                              recipient.substr(0, recipient.find('/')), "~",
                              recipient.substr(recipient.find('/') + 1)));
  req.set_page_size(1000);
  while (true) {
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::ListNotificationsResponse resp;
    grpc::Status s = stub_->ListNotifications(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    for (auto& n : *resp.mutable_notifications()) out.push_back(std::move(n));
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

int64_t ServiceTest::Unread(const std::string& recipient) {
  v1::GetUnreadCountRequest req;
  req.set_parent(absl::StrCat("recipients/",
                              recipient.substr(0, recipient.find('/')), "~",
                              recipient.substr(recipient.find('/') + 1)));
  grpc::ClientContext ctx;
  Prepare(&ctx, Token(Admin()));
  v1::UnreadCount resp;
  grpc::Status s = stub_->GetUnreadCount(&ctx, req, &resp);
  return s.ok() ? resp.unread() : -1;
}

bool ServiceTest::WaitUntil(const std::function<bool()>& done,
                            absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(25));
  }
  return done();
}

}  // namespace jalin::notification::test
