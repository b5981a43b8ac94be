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
  // Repeats the value whole, as a check that forgot api::Abbreviate would.
  if (e.merged_into().size() > 2000) {
    v.Add("enterprise.merged_into",
          absl::StrCat("is too long: ", e.merged_into()));
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

// A description that repeats a client's value whole is cut, so that the
// first violation (always listed) cannot crowd the others out.
TEST(FieldViolationsTest, ALongDescriptionIsCutAndTheNextStillListed) {
  FieldViolations v;
  v.Add("a", std::string(3000, 'x'));
  v.Add("b", "bad");
  const auto listed = Violations(v.ToStatus());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_THAT(listed, ElementsAre(Pair("a", std::string(253, 'x') + "..."),
                                  Pair("b", "bad")));
}

TEST(FieldViolationsTest, FieldsAndDescriptionsAreBoundedBetweenCodePoints) {
  // At the bound nothing changes; one byte more and it is cut.
  FieldViolations v;
  v.Add(std::string(256, 'f'), std::string(256, 'd'));
  v.Add(std::string(257, 'f'), std::string(257, 'd'));
  EXPECT_EQ(v.violations()[0].field(), std::string(256, 'f'));
  EXPECT_EQ(v.violations()[0].description(), std::string(256, 'd'));
  EXPECT_EQ(v.violations()[1].field(), std::string(253, 'f') + "...");
  EXPECT_EQ(v.violations()[1].description(), std::string(253, 'd') + "...");

  // "é" is 2 bytes and "😀" 4: 253 bytes would end inside one, so the cut
  // falls before it.
  std::string two, four;
  for (int i = 0; i < 50'000; ++i) two += "\xC3\xA9";
  for (int i = 0; i < 25'000; ++i) four += "\xF0\x9F\x98\x80";
  FieldViolations multi;
  multi.Add(absl::StrCat("scores[", four, "]"), two);
  multi.Add("name", absl::StrCat("x", four));
  std::string kept_two, kept_four;
  for (int i = 0; i < 126; ++i) kept_two += "\xC3\xA9";
  for (int i = 0; i < 61; ++i) kept_four += "\xF0\x9F\x98\x80";
  EXPECT_EQ(multi.violations()[0].field(),
            absl::StrCat("scores[", kept_four, "..."));
  EXPECT_EQ(multi.violations()[0].description(), kept_two + "...");
  EXPECT_EQ(
      multi.violations()[1].description(),
      absl::StrCat("x", kept_four, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80", "..."));
  // The message repeats the first violation, bounded with it.
  const absl::Status s = multi.ToStatus("invalid review");
  EXPECT_EQ(s.message(), absl::StrCat("invalid review: scores[", kept_four,
                                      "... ", kept_two, "... (and 1 more)"));
  EXPECT_THAT(Violations(s), ::testing::SizeIs(2));
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

TEST(GrpcStatusTest, LongMessagesAreCutAtTheEdgeBetweenCodePoints) {
  // Up to kMaxMessageBytes a message arrives whole.
  const std::string at_bound(kMaxMessageBytes, 'm');
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError(at_bound), "d").error_message(),
            at_bound);

  // "enterprises/" is 12 bytes, then 2-byte "é"s: the last whole one before
  // the cut ends at an even offset.
  std::string name = "enterprises/";
  for (int i = 0; i < 50'000; ++i) name += "\xC3\xA9";
  const grpc::Status wire = ToGrpcStatus(
      WithErrorInfo(absl::NotFoundError(absl::StrCat(name, " not found")),
                    "ENTERPRISE_NOT_FOUND", {{"name", name}}),
      "registry.jalin");
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::NOT_FOUND);
  const size_t kept = (kMaxMessageBytes - kMessageCut.size()) & ~size_t{1};
  EXPECT_EQ(wire.error_message(),
            absl::StrCat(name.substr(0, kept), kMessageCut));
  EXPECT_LE(wire.error_message().size(), kMaxMessageBytes);
  const absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.message(), wire.error_message());
  auto info = GetErrorInfo(back);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "ENTERPRISE_NOT_FOUND");
  EXPECT_EQ(info->domain(), "registry.jalin");
  EXPECT_EQ(
      info->metadata().at("name"),
      absl::StrCat(name.substr(0, kMaxErrorInfoValueBytes - 3 - 1), "..."));
  EXPECT_LT(wire.error_details().size(), 2048u);

  // A message of 3-byte characters: the cut never splits one.
  std::string wide;
  for (int i = 0; i < 1000; ++i) wide += "\xE2\x82\xAC";  // "€"
  const std::string cut =
      ToGrpcStatus(absl::FailedPreconditionError(wide), "d").error_message();
  ASSERT_TRUE(absl::EndsWith(cut, kMessageCut));
  const std::string kept_wide = cut.substr(0, cut.size() - kMessageCut.size());
  EXPECT_EQ(kept_wide.size() % 3, 0u);
  EXPECT_EQ(kept_wide, wide.substr(0, kept_wide.size()));
  EXPECT_GT(kept_wide.size() + 3, kMaxMessageBytes - kMessageCut.size());
}

// A PreconditionFailure is bounded at the edge like the message: a few
// violations, their fields cut between code points; the trailers stay small.
TEST(GrpcStatusTest, PreconditionFailuresAreBoundedAtTheEdge) {
  google::rpc::PreconditionFailure failure;
  std::string long_subject = "tasks/";
  for (int i = 0; i < 2000; ++i) long_subject += "\xC3\xA9";
  const std::string long_description(20'000, 'd');
  for (int i = 0; i < 10; ++i) {
    auto* v = failure.add_violations();
    v->set_type(absl::StrCat("TYPE_", i));
    v->set_subject(i == 0 ? long_subject : absl::StrCat("tasks/t", i));
    v->set_description(i == 1 ? long_description : "short");
  }
  absl::Status status = absl::FailedPreconditionError("task is resolved");
  status.SetPayload(kPreconditionFailureTypeUrl,
                    absl::Cord(failure.SerializeAsString()));
  const grpc::Status wire = ToGrpcStatus(status, "curation.jalin");
  EXPECT_LT(wire.error_details().size(), 3u * 1024);
  const absl::Status back = FromGrpcStatus(wire);
  auto payload = back.GetPayload(kPreconditionFailureTypeUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::PreconditionFailure got;
  ASSERT_TRUE(got.ParseFromString(std::string(*payload)));
  ASSERT_EQ(got.violations_size(), kMaxPreconditionViolations);
  for (int i = 0; i < got.violations_size(); ++i) {
    EXPECT_EQ(got.violations(i).type(), absl::StrCat("TYPE_", i));
  }
  // "tasks/" is 6 bytes, then 2-byte "é"s: the cut keeps whole ones.
  const std::string& subject = got.violations(0).subject();
  EXPECT_LE(subject.size(), kMaxErrorInfoValueBytes);
  ASSERT_TRUE(absl::EndsWith(subject, "..."));
  EXPECT_EQ((subject.size() - 3 - 6) % 2, 0u);
  EXPECT_TRUE(
      absl::StartsWith(long_subject, subject.substr(0, subject.size() - 3)));
  EXPECT_EQ(got.violations(1).description().size(), kMaxMessageBytes);
  EXPECT_TRUE(absl::EndsWith(got.violations(1).description(), "..."));
  EXPECT_EQ(got.violations(2).description(), "short");
  EXPECT_EQ(got.violations(3).subject(), "tasks/t3");
  auto info = GetErrorInfo(back);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->domain(), "curation.jalin");
}

// A detail of a type the edge does not know is passed on while it is
// small and left out once it could crowd the trailers.
TEST(GrpcStatusTest, LargeDetailsOfOtherTypesAreLeftOut) {
  constexpr absl::string_view kUrl = "type.googleapis.com/google.rpc.Help";
  for (const size_t size : {size_t{100}, kMaxOtherDetailBytes - 1,
                            kMaxOtherDetailBytes, size_t{64} << 10}) {
    absl::Status status = InvalidFieldError("f", "bad");
    status.SetPayload(kUrl, absl::Cord(std::string(size, 'x')));
    const absl::Status back = FromGrpcStatus(ToGrpcStatus(status, "d"));
    const bool kept = back.GetPayload(kUrl).has_value();
    EXPECT_EQ(kept, size < kMaxOtherDetailBytes) << size;
    if (kept) EXPECT_EQ(back.GetPayload(kUrl)->size(), size);
    // The rest of the error arrives either way.
    EXPECT_THAT(Violations(back), ElementsAre(Pair("f", "bad")));
    EXPECT_TRUE(GetErrorInfo(back).has_value());
  }
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

// A bad value of 100,000 characters repeated whole by a check would make
// the message and the BadRequest far larger than the 8 KiB of metadata a
// gRPC C++ client accepts (RESOURCE_EXHAUSTED "received metadata size
// exceeds limit"): it still arrives as INVALID_ARGUMENT naming the field.
TEST_F(OverTheWireTest, AHugeBadValueStillArrivesAsInvalidArgument) {
  registry::v1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_display_name("Jamu Sehat");
  req.mutable_enterprise()->mutable_location()->set_region("regions/33.13");
  req.mutable_enterprise()->set_merged_into(std::string(100'000, 'w'));
  registry::v1::Enterprise resp;
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Seconds(10), "");
  grpc::Status s = stub_->CreateEnterprise(&ctx, req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message().substr(0, 200);
  const auto violations = Violations(FromGrpcStatus(s));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].first, "enterprise.merged_into");
  EXPECT_TRUE(absl::StartsWith(violations[0].second, "is too long: www"));
  EXPECT_LE(violations[0].second.size(), FieldViolations::kMaxDescriptionBytes);
  EXPECT_TRUE(
      absl::StartsWith(s.error_message(),
                       "invalid enterprise: enterprise.merged_into is too "
                       "long: www"));
}

// The same for another code: a NOT_FOUND naming what the client asked for,
// in its message and its ErrorInfo.
TEST_F(OverTheWireTest, AHugeNameStillArrivesAsNotFound) {
  registry::v1::GetEnterpriseRequest req;
  req.set_name("enterprises/" + std::string(100'000, 'n'));
  registry::v1::Enterprise resp;
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Seconds(10), "");
  grpc::Status s = stub_->GetEnterprise(&ctx, req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND)
      << s.error_message().substr(0, 200);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "enterprises/nnn"));
  EXPECT_TRUE(absl::EndsWith(s.error_message(), kMessageCut));
  auto info = GetErrorInfo(FromGrpcStatus(s));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "ENTERPRISE_NOT_FOUND");
  EXPECT_TRUE(absl::StartsWith(info->metadata().at("name"), "enterprises/nnn"));
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
