// AIP-155 request ids on a real SQLite store.

#include "common/storage/request_log.h"

#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.pb.h"

namespace jalin::storage {
namespace {

class RequestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDatabase::Open({.path = dir_.File("s.db")});
    ASSERT_TRUE(db.ok());
    db_ = *std::move(db);
    ASSERT_TRUE(RequestLog::Migrate(*db_).ok());
  }

  absl::Status Create(const registry::v1::CreateClusterRequest& req,
                      registry::v1::Cluster* resp,
                      const std::string& caller = "u1") {
    return log_.RunOnce(*db_, caller, "CreateCluster", req.request_id(), req,
                        resp, [&](Transaction&) -> absl::Status {
                          ++runs_;
                          if (req.cluster().display_name() == "fail") {
                            return absl::UnavailableError("try again");
                          }
                          *resp = req.cluster();
                          resp->set_name("clusters/c" + std::to_string(runs_));
                          return absl::OkStatus();
                        });
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
  RequestLog log_;
  int runs_ = 0;
};

TEST_F(RequestLogTest, ReplayReturnsTheFirstAnswerWithoutRunningAgain) {
  registry::v1::CreateClusterRequest req;
  req.set_request_id("r-1");
  req.mutable_cluster()->set_display_name("Klaster Batik");
  registry::v1::Cluster first, second;
  ASSERT_TRUE(Create(req, &first).ok());
  ASSERT_TRUE(Create(req, &second).ok());
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(second.name(), first.name());
}

TEST_F(RequestLogTest, WithoutAnIdEveryCallRuns) {
  registry::v1::CreateClusterRequest req;
  req.mutable_cluster()->set_display_name("Klaster Batik");
  registry::v1::Cluster a, b;
  ASSERT_TRUE(Create(req, &a).ok());
  ASSERT_TRUE(Create(req, &b).ok());
  EXPECT_EQ(runs_, 2);
  EXPECT_NE(a.name(), b.name());
}

TEST_F(RequestLogTest, SameIdForAnotherRequestIsRefused) {
  registry::v1::CreateClusterRequest req;
  req.set_request_id("r-1");
  req.mutable_cluster()->set_display_name("A");
  registry::v1::Cluster resp;
  ASSERT_TRUE(Create(req, &resp).ok());
  req.mutable_cluster()->set_display_name("B");
  absl::Status s = Create(req, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetBadRequest(s)->field_violations(0).field(), "request_id");
  EXPECT_EQ(runs_, 1);
}

TEST_F(RequestLogTest, IdsAreScopedToTheCaller) {
  registry::v1::CreateClusterRequest req;
  req.set_request_id("r-1");
  req.mutable_cluster()->set_display_name("A");
  registry::v1::Cluster resp;
  ASSERT_TRUE(Create(req, &resp, "u1").ok());
  ASSERT_TRUE(Create(req, &resp, "u2").ok());
  EXPECT_EQ(runs_, 2);
}

TEST_F(RequestLogTest, FailuresAreNotRememberedSoARetryRuns) {
  registry::v1::CreateClusterRequest req;
  req.set_request_id("r-1");
  req.mutable_cluster()->set_display_name("fail");
  registry::v1::Cluster resp;
  EXPECT_FALSE(Create(req, &resp).ok());
  EXPECT_FALSE(Create(req, &resp).ok());
  EXPECT_EQ(runs_, 2);
}

TEST_F(RequestLogTest, FindAnswerLooksUpWithoutRunning) {
  registry::v1::CreateClusterRequest req;
  req.set_request_id("r-1");
  req.mutable_cluster()->set_display_name("Klaster Batik");
  registry::v1::Cluster found;
  found.set_name("untouched");
  auto before = log_.FindAnswer(*db_, "u1", "CreateCluster", req.request_id(),
                                req, &found);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_FALSE(*before);
  EXPECT_EQ(found.name(), "untouched");

  registry::v1::Cluster first;
  ASSERT_TRUE(Create(req, &first).ok());
  auto after = log_.FindAnswer(*db_, "u1", "CreateCluster", req.request_id(),
                               req, &found);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(*after);
  EXPECT_EQ(found.name(), first.name());
  // Another caller, or no id at all, has nothing stored.
  auto other = log_.FindAnswer(*db_, "u2", "CreateCluster", req.request_id(),
                               req, &found);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  auto no_id = log_.FindAnswer(*db_, "u1", "CreateCluster", "", req, &found);
  ASSERT_TRUE(no_id.ok());
  EXPECT_FALSE(*no_id);
  // The id used for a different request is refused, as RunOnce refuses it.
  req.mutable_cluster()->set_display_name("Klaster Lain");
  auto reused = log_.FindAnswer(*db_, "u1", "CreateCluster", req.request_id(),
                                req, &found);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(runs_, 1);
}

TEST(RequestIdShapeTest, Rules) {
  FieldViolations v;
  ValidateRequestId("", v);
  ValidateRequestId("7f3c2a5e-1b7d-4a8e-9a1c-0d2e3f4a5b6c", v);
  EXPECT_TRUE(v.empty());
  ValidateRequestId("has space", v);
  ValidateRequestId(std::string(129, 'a'), v);
  EXPECT_EQ(v.size(), 2u);
}

}  // namespace
}  // namespace jalin::storage
