// Live streams through the real service: subscribe, disconnect mid-stream,
// reconnect with the last cursor: no gap, no duplicate, then live again.
// Nobody subscribes to another recipient's inbox, nor with a cursor the
// store did not issue.

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/violations.h"
#include "gtest/gtest.h"
#include "services/notification/notification_store.h"
#include "tests/services/notification/service_fixture.h"

namespace jalin::notification::test {
namespace {

class StreamTest : public ServiceTest {
 protected:
  // Publishes `n` proposals naming enterprises/a (and a few for b in
  // between) on one stream, so that their order is the stream's order.
  std::vector<std::string> PublishForA(int n) {
    std::vector<events::v1::Event> batch;
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      batch.push_back(ProposalEvent("created", "enterprises/a", "partners/p"));
      ids.push_back(batch.back().id());
      if (i % 3 == 0) {
        batch.push_back(
            ProposalEvent("created", "enterprises/b", "partners/p"));
      }
    }
    EXPECT_TRUE(Publish(redis(), "jalin.matching.events", batch).ok());
    return ids;
  }

  struct Stream {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::Notification>> reader;
  };

  Stream Open(const std::string& token, const std::string& parent,
              const std::string& cursor) {
    Stream s;
    s.ctx = std::make_unique<grpc::ClientContext>();
    Prepare(s.ctx.get(), token, absl::Minutes(2));
    v1::SubscribeRequest req;
    req.set_parent(parent);
    req.set_cursor(cursor);
    s.reader = stub().Subscribe(s.ctx.get(), req);
    return s;
  }
};

TEST_F(StreamTest, ReconnectWithTheCursorMissesNothingAndRepeatsNothing) {
  // Small pages: the resume reads several of them while events keep coming.
  StartService({"JALIN_STREAM_PAGE_SIZE=16"});
  const std::string token = Token(Member("enterprises/a"));

  Stream first = Open(token, "recipients/enterprises~a", "");
  // Headers arrive once the stream is registered: nothing after this point
  // can be missed.
  first.reader->WaitForInitialMetadata();
  std::vector<std::string> expected = PublishForA(100);

  std::vector<std::string> got;
  std::string cursor;
  v1::Notification n;
  while (got.size() < 40 && first.reader->Read(&n)) {
    EXPECT_EQ(n.recipient(), "enterprises/a");
    got.push_back(n.event_id());
    cursor = n.cursor();
  }
  ASSERT_EQ(got.size(), 40u);
  // Disconnect mid-stream.
  first.ctx->TryCancel();
  EXPECT_EQ(first.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // Missed while away.
  std::vector<std::string> more = PublishForA(100);
  expected.insert(expected.end(), more.begin(), more.end());
  Stream second = Open(token, "recipients/enterprises~a", cursor);
  // And while catching up.
  more = PublishForA(60);
  expected.insert(expected.end(), more.begin(), more.end());
  while (got.size() < expected.size() && second.reader->Read(&n)) {
    got.push_back(n.event_id());
  }
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_EQ(got, expected);
  // Live afterwards, and nothing repeated in between.
  more = PublishForA(1);
  ASSERT_TRUE(second.reader->Read(&n));
  EXPECT_EQ(n.event_id(), more.front());
  second.ctx->TryCancel();
  second.reader->Finish();
}

TEST_F(StreamTest, NobodySubscribesToAnotherRecipientsInbox) {
  StartService();
  // A member of A, for B's inbox.
  Stream s =
      Open(Token(Member("enterprises/a")), "recipients/enterprises~b", "");
  v1::Notification n;
  EXPECT_FALSE(s.reader->Read(&n));
  EXPECT_EQ(s.reader->Finish().error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A facilitator for an enterprise.
  Stream f = Open(Token(Facilitator("users/budi", {"33.13"})),
                  "recipients/enterprises~b", "");
  EXPECT_FALSE(f.reader->Read(&n));
  EXPECT_EQ(f.reader->Finish().error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Without a token.
  Stream anon = Open("", "recipients/enterprises~b", "");
  EXPECT_FALSE(anon.reader->Read(&n));
  EXPECT_EQ(anon.reader->Finish().error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A cursor this service never issued.
  Stream bad = Open(Token(Member("enterprises/b")), "recipients/enterprises~b",
                    "not-a-cursor");
  EXPECT_FALSE(bad.reader->Read(&n));
  EXPECT_EQ(bad.reader->Finish().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A well-formed cursor ahead of everything the store issued (a store that
  // was reset): refused, naming the field, instead of a silent stream.
  Stream ahead = Open(Token(Member("enterprises/b")),
                      "recipients/enterprises~b", EncodeCursor(1'000'000));
  EXPECT_FALSE(ahead.reader->Read(&n));
  grpc::Status refused = ahead.reader->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(jalin::testing::ViolatedFields(refused),
            std::vector<std::string>{"cursor"});
  EXPECT_NE(refused.error_message().find("without a cursor"), std::string::npos)
      << refused.error_message();
  // B itself, and an admin, may.
  for (const std::string& token :
       {Token(Member("enterprises/b")), Token(Admin())}) {
    Stream ok = Open(token, "recipients/enterprises~b", "");
    ok.reader->WaitForInitialMetadata();
    PublishForA(3);  // one for b among them
    ASSERT_TRUE(ok.reader->Read(&n));
    EXPECT_EQ(n.recipient(), "enterprises/b");
    ok.ctx->TryCancel();
    ok.reader->Finish();
  }
}

}  // namespace
}  // namespace jalin::notification::test
