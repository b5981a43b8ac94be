// Errors inside (absl::Status with payloads) and at the edge (grpc::Status
// with google.rpc details), checked over a real gRPC connection.

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/client.h"
#include "common/rpc/unary.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/testing/in_process_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<std::pair<std::string, std::string>> Violations(
    const absl::Status& s) {
  std::vector<std::pair<std::string, std::string>> out;
  if (auto bad = GetBadRequest(s)) {
    for (const auto& v : bad->field_violations()) {
      out.emplace_back(v.field(), v.description());
    }
  }
  return out;
}

// Validates like a real handler: every bad field is named.
absl::Status ValidateEnterprise(const registry::v1::Enterprise& e) {
  FieldViolations v;
  if (e.display_name().empty()) v.Add("enterprise.display_name", "is required");
  if (!e.nib().empty() && e.nib().size() != 13) {
    v.Add("enterprise.nib", "must be 13 digits");
  }
  if (e.location().region().empty()) {
    v.Add("enterprise.location.region", "is required");
  }
  for (int i = 0; i < e.categories_size(); ++i) {
    if (!absl::StartsWith(e.categories(i), "categories/")) {
      v.Add(absl::StrCat("enterprise.categories[", i, "]"),
            "must be a category name (categories/{id})");
    }
  }
  return v.ToStatus("invalid enterprise");
}

class FakeRegistry final
    : public registry::v1::RegistryService::CallbackService {
  grpc::ServerUnaryReactor* CreateEnterprise(
      grpc::CallbackServerContext* ctx,
      const registry::v1::CreateEnterpriseRequest* req,
      registry::v1::Enterprise* resp) override {
    return rpc::Unary(ctx, [&]() -> absl::Status {
      RETURN_IF_ERROR(ValidateEnterprise(req->enterprise()));
      *resp = req->enterprise();
      return absl::OkStatus();
    });
  }
  grpc::ServerUnaryReactor* GetEnterprise(
      grpc::CallbackServerContext* ctx,
      const registry::v1::GetEnterpriseRequest* req,
      registry::v1::Enterprise*) override {
    return rpc::Unary(ctx, [&] {
      return WithErrorInfo(
          absl::NotFoundError(absl::StrCat(req->name(), " not found")),
          "ENTERPRISE_NOT_FOUND", {{"name", req->name()}});
    });
  }
};

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations v;
  EXPECT_TRUE(v.ToStatus().ok());
}

TEST(FieldViolationsTest, ListsEveryViolationInOrder) {
  FieldViolations v;
  v.Add("a.b", "is required");
  v.Add("a.c[2].d", "must be positive");
  absl::Status s = v.ToStatus("invalid thing");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "invalid thing: a.b is required (and 1 more)");
  EXPECT_THAT(Violations(s), ElementsAre(Pair("a.b", "is required"),
                                         Pair("a.c[2].d", "must be positive")));
}

TEST(FieldViolationsTest, ListsTheFirstWithinTheByteBudgetAndCountsTheRest) {
  FieldViolations v;
  for (int i = 0; i < 100'000; ++i) {
    v.Add(absl::StrCat("records[", i, "].enterprise.nib"), "must be 13 digits");
  }
  absl::Status s = v.ToStatus("invalid batch");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  // Callers that inspect still see all of them.
  EXPECT_EQ(v.size(), 100'000u);
  EXPECT_EQ(v.violations().size(), 100'000u);
  const std::string payload(*s.GetPayload(kBadRequestTypeUrl));
  EXPECT_LE(payload.size(), FieldViolations::kMaxListedBytes);
  const auto listed = Violations(s);
  ASSERT_GT(listed.size(), 10u);
  ASSERT_LT(listed.size(), FieldViolations::kMaxListed);
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(listed[i].first, absl::StrCat("records[", i, "].enterprise.nib"));
  }
  EXPECT_EQ(s.message(),
            absl::StrCat("invalid batch: records[0].enterprise.nib must be 13 "
                         "digits (and 99999 more, ",
                         100'000 - listed.size(), " of them not listed)"));
}

TEST(FieldViolationsTest, ListsAtMostAHundred) {
  FieldViolations v;
  for (int i = 0; i < 150; ++i) v.Add(absl::StrCat("f", i), "bad");
  absl::Status s = v.ToStatus("invalid thing");
  const auto listed = Violations(s);
  ASSERT_EQ(listed.size(), 100u);
  EXPECT_EQ(listed.back().first, "f99");
  EXPECT_EQ(s.message(),
            "invalid thing: f0 bad (and 149 more, 50 of them not listed)");
  // At the limit nothing is left out.
  FieldViolations hundred;
  for (int i = 0; i < 100; ++i) hundred.Add(absl::StrCat("f", i), "bad");
  EXPECT_EQ(Violations(hundred.ToStatus("invalid thing")).size(), 100u);
  EXPECT_EQ(hundred.ToStatus("invalid thing").message(),
            "invalid thing: f0 bad (and 99 more)");
}

TEST(FieldViolationsTest, TheFirstIsListedWhateverItsSize) {
  FieldViolations v;
  v.Add("a", std::string(3000, 'x'));
  v.Add("b", "bad");
  const auto listed = Violations(v.ToStatus());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].first, "a");
}

TEST(FieldViolationsTest, MergePrefixesFields) {
  FieldViolations inner;
  inner.Add("nib", "must be 13 digits");
  FieldViolations outer;
  outer.Merge(inner, "records[3].enterprise");
  EXPECT_THAT(
      Violations(outer.ToStatus()),
      ElementsAre(Pair("records[3].enterprise.nib", "must be 13 digits")));
}

TEST(GrpcStatusTest, RoundTripKeepsDetailsAndAddsErrorInfo) {
  FieldViolations v;
  v.Add("x", "bad");
  grpc::Status wire = ToGrpcStatus(v.ToStatus(), "registry.jalin");
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Violations(back), ElementsAre(Pair("x", "bad")));
  auto info = GetErrorInfo(back);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info->domain(), "registry.jalin");
}

TEST(GrpcStatusTest, ServerFaultsReachCallersAsAReferenceOnly) {
  for (const absl::Status& fault :
       {absl::InternalError("sqlite: running \"SELECT secret FROM t\": boom"),
        absl::UnknownError("/var/lib/jalin/registry.db: I/O error"),
        absl::DataLossError("stored answer cannot be read")}) {
    grpc::Status wire = ToGrpcStatus(fault, "matching.jalin");
    EXPECT_EQ(static_cast<int>(wire.error_code()),
              static_cast<int>(fault.code()));
    EXPECT_TRUE(absl::StartsWith(
        wire.error_message(), "internal error in matching.jalin (reference "))
        << wire.error_message();
    absl::Status back = FromGrpcStatus(wire);
    EXPECT_EQ(back.message(), wire.error_message());
    for (const char* inside : {"sqlite", "SELECT", "/var/lib", "stored"}) {
      EXPECT_FALSE(absl::StrContains(wire.error_message(), inside));
      EXPECT_FALSE(absl::StrContains(wire.error_details(), inside));
    }
    auto info = GetErrorInfo(back);
    ASSERT_TRUE(info.has_value());
    const std::string reference = info->metadata().at("reference");
    EXPECT_EQ(reference.size(), 26u);
    EXPECT_TRUE(absl::StrContains(wire.error_message(), reference));
  }
  // A caller's own mistakes keep their message.
  grpc::Status bad = ToGrpcStatus(
      absl::FailedPreconditionError("proposal is AGREED"), "matching.jalin");
  EXPECT_EQ(bad.error_message(), "proposal is AGREED");
}

TEST(GrpcStatusTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "d").ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatusTest, AnnotateKeepsCodeAndPayloads) {
  absl::Status s = Annotate(InvalidFieldError("f", "bad"), "while importing");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "while importing: "));
  EXPECT_THAT(Violations(s), ElementsAre(Pair("f", "bad")));
}

class OverTheWireTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::InProcessServer>(&service_);
    ASSERT_TRUE(server_->ok());
    stub_ = registry::v1::RegistryService::NewStub(
        rpc::MakeChannel(server_->address()));
  }

  FakeRegistry service_;
  std::unique_ptr<testing::InProcessServer> server_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
};

TEST_F(OverTheWireTest, SeveralBadFieldsComeBackAsOneBadRequest) {
  registry::v1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_nib("123");
  registry::v1::Enterprise resp;
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Seconds(5), "");
  grpc::Status s = stub_->CreateEnterprise(&ctx, req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  absl::Status back = FromGrpcStatus(s);
  EXPECT_THAT(Violations(back),
              ElementsAre(Pair("enterprise.display_name", "is required"),
                          Pair("enterprise.nib", "must be 13 digits"),
                          Pair("enterprise.location.region", "is required")));
  auto info = GetErrorInfo(back);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "INVALID_ARGUMENT");
}

TEST_F(OverTheWireTest, GoodRequestSucceeds) {
  registry::v1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_display_name("Jamu Sehat");
  req.mutable_enterprise()->mutable_location()->set_region("regions/33.13");
  registry::v1::Enterprise resp;
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Seconds(5), "");
  ASSERT_TRUE(stub_->CreateEnterprise(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.display_name(), "Jamu Sehat");
}

TEST_F(OverTheWireTest, ErrorInfoReasonAndMetadataArrive) {
  registry::v1::GetEnterpriseRequest req;
  req.set_name("enterprises/nope");
  registry::v1::Enterprise resp;
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Seconds(5), "");
  grpc::Status s = stub_->GetEnterprise(&ctx, req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  auto info = GetErrorInfo(FromGrpcStatus(s));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "ENTERPRISE_NOT_FOUND");
  EXPECT_EQ(info->metadata().at("name"), "enterprises/nope");
}

// 100,000 bad items (an import batch, a long repeated field) would make a
// BadRequest far above gRPC's 8 KiB metadata limit: it still arrives as
// INVALID_ARGUMENT, with the first violations and the count of the rest.
TEST_F(OverTheWireTest, ManyBadFieldsStillArriveAsInvalidArgument) {
  registry::v1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_display_name("Jamu Sehat");
  req.mutable_enterprise()->mutable_location()->set_region("regions/33.13");
  for (int i = 0; i < 100'000; ++i) {
    req.mutable_enterprise()->add_categories("jahe");
  }
  registry::v1::Enterprise resp;
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Seconds(30), "");
  grpc::Status s = stub_->CreateEnterprise(&ctx, req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  const absl::Status back = FromGrpcStatus(s);
  const auto violations = Violations(back);
  ASSERT_FALSE(violations.empty());
  ASSERT_LT(violations.size(), 100'000u);
  for (size_t i = 0; i < violations.size(); ++i) {
    EXPECT_EQ(violations[i].first,
              absl::StrCat("enterprise.categories[", i, "]"));
  }
  EXPECT_TRUE(absl::EndsWith(
      back.message(),
      absl::StrCat("(and 99999 more, ", 100'000 - violations.size(),
                   " of them not listed)")))
      << back.message();
  EXPECT_LT(s.error_details().size(), 4096u);
}

}  // namespace
}  // namespace jalin
