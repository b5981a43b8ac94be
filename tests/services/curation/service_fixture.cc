#include "tests/services/curation/service_fixture.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"

namespace jalin::curation::testing {

void ServiceFixture::SetUp() {
  suite_ = std::make_unique<jalin::testing::Suite>(JALIN_BINARY_DIR);
  auto keys = auth::LoadJwtKeys(suite_->secret_file(), "", "");
  ASSERT_TRUE(keys.ok()) << keys.status();
  authn_ = std::make_unique<auth::Authenticator>(*keys, SystemClock::Get());
  registry_ = std::make_unique<FakeRegistry>(authn_.get());
  registry_server_ =
      std::make_unique<jalin::testing::InProcessServer>(registry_.get());
  ASSERT_TRUE(registry_server_->ok());
  absl::Status started = suite_->Start(
      {"curation"},
      {{"curation",
        {"JALIN_REGISTRY_ADDRESS=" + registry_server_->address(),
         // Survives kill -9 (what these tests do); power loss is not tested.
         "JALIN_STORE_SYNC=normal"}}});
  ASSERT_TRUE(started.ok()) << started;
  redis_ = std::make_unique<redis::Client>(
      redis::Options{.address = suite_->redis().address()});
  Connect();
}

void ServiceFixture::TearDown() {
  if (HasFailure() && suite_ != nullptr) {
    std::cerr << jalin::testing::TailOfFile(suite_->dir().File("curation.log"))
              << "\n";
  }
}

void ServiceFixture::Connect() {
  stub_ = jalin::curation::v1::CurationService::NewStub(
      rpc::MakeChannel(suite_->address("curation")));
}

std::string ServiceFixture::CuratorToken(
    const std::string& subject, std::vector<std::string> regions) const {
  auth::Principal p;
  p.subject = subject;
  p.role = auth::Role::kCurator;
  p.regions = std::move(regions);
  return suite_->Token(p);
}

std::string ServiceFixture::MemberToken(const std::string& enterprise) const {
  auth::Principal p;
  p.subject = absl::StrCat("users/owner-", enterprise.substr(12));
  p.role = auth::Role::kMember;
  p.organization = enterprise;
  return suite_->Token(p);
}

std::vector<jalin::events::v1::Event> ServiceFixture::StreamEvents(
    const std::string& stream) {
  std::vector<jalin::events::v1::Event> out;
  std::string from = "-";
  while (true) {
    auto r = redis_->Command({"XRANGE", stream, from, "+", "COUNT", "1000"},
                             absl::Seconds(10));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok() || r->elements.empty()) break;
    for (const auto& entry : r->elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "event") {
          out.emplace_back();
          out.back().ParseFromString(fields[i + 1].str);
        }
      }
    }
    from = "(" + r->elements.back().elements[0].str;
  }
  return out;
}

int64_t ServiceFixture::StreamLength(const std::string& stream) {
  auto r = redis_->Command({"XLEN", stream});
  return r.ok() ? r->integer : -1;
}

}  // namespace jalin::curation::testing
