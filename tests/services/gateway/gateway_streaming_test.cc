// Streams through the gateway: server-streaming methods as Server-Sent
// Events (one event per message, each flushed before the next message is
// sent; the SSE id is the message's cursor, and Last-Event-ID resumes) or
// NDJSON; errors before and during a stream; the client-streaming import
// as NDJSON in and out; a client that leaves cancels its backend stream.

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jalin/notification/v1/notification_service.pb.h"
#include "jalin/registry/v1/registry_service.pb.h"
#include "nlohmann/json.hpp"
#include "tests/services/gateway/gateway_fixture.h"

namespace jalin::gateway::testing {
namespace {

constexpr char kSubscribe[] = "/v1/recipients/ani/notifications:subscribe";

class StreamingTest : public GatewayFixture {
 protected:
  void Configure(GatewaySettings& s) override {
    s.sse_keepalive = absl::Milliseconds(200);
  }
  void SetUp() override {
    GatewayFixture::SetUp();
    backend_->SetAnswer([](const Received& r) {
      Answer a;
      a.hold =
          r.method == "/jalin.notification.v1.NotificationService/Subscribe";
      return a;
    });
  }
};

std::string Notification(int i) {
  notification::v1::Notification n;
  n.set_name(absl::StrCat("recipients/ani/notifications/n", i));
  n.set_title_id(absl::StrCat("Usulan kerja sama baru ", i));
  n.set_cursor(absl::StrCat("1700000000000-", i));
  return n.SerializeAsString();
}

TEST_F(StreamingTest, ServerSentEventsOnePerMessageWithCursorIds) {
  auto stream = StreamReader::Open(port(), "GET", kSubscribe,
                                   {{"Accept", "text/event-stream"}});
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ((*stream)->status(), 200);
  EXPECT_EQ((*stream)->header("content-type"),
            "text/event-stream; charset=utf-8");
  EXPECT_EQ((*stream)->header("transfer-encoding"), "chunked");
  ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
  notification::v1::SubscribeRequest req;
  ASSERT_TRUE(req.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(req.parent(), "recipients/ani");
  EXPECT_EQ(req.cursor(), "");
  // Each message is pushed only after the previous event arrived: an event
  // held back in a buffer would fail here.
  for (int i = 1; i <= 3; ++i) {
    backend_->Push(Notification(i));
    auto event = (*stream)->NextEvent(absl::Seconds(5));
    ASSERT_TRUE(event.ok()) << "event " << i << ": " << event.status();
    EXPECT_EQ(event->id, absl::StrCat("1700000000000-", i));
    nlohmann::json data = nlohmann::json::parse(event->data);
    EXPECT_EQ(data["name"], absl::StrCat("recipients/ani/notifications/n", i));
    EXPECT_EQ(data["titleId"], absl::StrCat("Usulan kerja sama baru ", i));
  }
  EXPECT_EQ((*stream)->pending(), "");
}

TEST_F(StreamingTest, IdleStreamsGetKeepAliveComments) {
  auto stream = StreamReader::Open(port(), "GET", kSubscribe,
                                   {{"Accept", "text/event-stream"}});
  ASSERT_TRUE(stream.ok());
  auto comment = (*stream)->NextEvent(absl::Seconds(5), true);
  ASSERT_TRUE(comment.ok()) << comment.status();
  EXPECT_TRUE(comment->comment_only);
}

TEST_F(StreamingTest, LastEventIdResumesFromTheCursor) {
  {
    auto first = StreamReader::Open(port(), "GET", kSubscribe,
                                    {{"Accept", "text/event-stream"}});
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
    backend_->Push(Notification(4));
    auto event = (*first)->NextEvent(absl::Seconds(5));
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->id, "1700000000000-4");
  }
  // The client went away: its backend stream is cancelled.
  ASSERT_TRUE(backend_->WaitForOpenStreams(0, absl::Seconds(5)));
  backend_->Clear();
  auto again = StreamReader::Open(
      port(), "GET", kSubscribe,
      {{"Accept", "text/event-stream"}, {"Last-Event-ID", "1700000000000-4"}});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
  notification::v1::SubscribeRequest req;
  ASSERT_TRUE(req.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(req.parent(), "recipients/ani");
  EXPECT_EQ(req.cursor(), "1700000000000-4");
}

TEST_F(StreamingTest, WithoutEventStreamAcceptTheStreamIsNdjson) {
  auto stream = StreamReader::Open(port(), "GET", kSubscribe, {});
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->header("content-type"), "application/x-ndjson");
  ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
  backend_->Push(Notification(1));
  backend_->Push(Notification(2));
  for (int i = 1; i <= 2; ++i) {
    auto line = (*stream)->NextLine(absl::Seconds(5));
    ASSERT_TRUE(line.ok()) << line.status();
    EXPECT_EQ(nlohmann::json::parse(*line)["cursor"],
              absl::StrCat("1700000000000-", i));
  }
  backend_->CloseAll(grpc::Status::OK);
  EXPECT_TRUE((*stream)->WaitEnd(absl::Seconds(5)));
  EXPECT_EQ((*stream)->pending(), "");
}

TEST_F(StreamingTest, ErrorBeforeTheFirstMessageIsAnHttpError) {
  backend_->SetAnswer([](const Received&) {
    Answer a;
    a.status =
        grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not your inbox");
    return a;
  });
  auto r =
      HttpCall(port(), "GET", kSubscribe, {{"Accept", "text/event-stream"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  nlohmann::json j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["error"]["status"], "PERMISSION_DENIED");
  EXPECT_EQ(j["error"]["message"], "not your inbox");
}

TEST_F(StreamingTest, ErrorDuringAStreamIsAnErrorEvent) {
  auto stream = StreamReader::Open(port(), "GET", kSubscribe,
                                   {{"Accept", "text/event-stream"}});
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
  backend_->Push(Notification(1));
  ASSERT_TRUE((*stream)->NextEvent(absl::Seconds(5)).ok());
  backend_->CloseAll(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "notification restarting"));
  auto event = (*stream)->NextEvent(absl::Seconds(5));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event, "error");
  nlohmann::json j = nlohmann::json::parse(event->data);
  EXPECT_EQ(j["error"]["status"], "UNAVAILABLE");
  EXPECT_EQ(j["error"]["code"], 503);
  EXPECT_TRUE((*stream)->WaitEnd(absl::Seconds(5)));
}

TEST_F(StreamingTest, ImportRecordsTakesAndAnswersNdjson) {
  backend_->SetAnswer([](const Received& r) {
    Answer a;
    for (const std::string& m : r.messages) {
      registry::v1::ImportRecordsRequest batch;
      batch.ParseFromString(m);
      registry::v1::ImportRecordsResponse resp;
      resp.set_batch_id(batch.batch_id());
      resp.set_created(batch.records_size());
      a.messages.push_back(resp.SerializeAsString());
    }
    return a;
  });
  const std::string body =
      R"({"batchId": "b1", "records": [{"externalId": "e1", "version": "1",)"
      R"( "cluster": {"displayName": "Klaster Jamu"}}]})"
      "\n\n"
      R"({"batchId": "b2", "records": []})"
      "\n";
  auto stream =
      StreamReader::Open(port(), "POST", "/v1/records:import",
                         {{"Content-Type", "application/x-ndjson"}}, body);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ((*stream)->status(), 200);
  EXPECT_EQ((*stream)->header("content-type"), "application/x-ndjson");
  auto l1 = (*stream)->NextLine(absl::Seconds(5));
  auto l2 = (*stream)->NextLine(absl::Seconds(5));
  ASSERT_TRUE(l1.ok() && l2.ok());
  EXPECT_EQ(nlohmann::json::parse(*l1)["batchId"], "b1");
  EXPECT_EQ(nlohmann::json::parse(*l1)["created"], 1);
  EXPECT_EQ(nlohmann::json::parse(*l2)["batchId"], "b2");
  EXPECT_TRUE((*stream)->WaitEnd(absl::Seconds(5)));
  ASSERT_EQ(backend_->received().size(), 1u);
  const Received got = backend_->received()[0];
  EXPECT_EQ(got.method, "/jalin.registry.v1.RegistryService/ImportRecords");
  ASSERT_EQ(got.messages.size(), 2u);
  registry::v1::ImportRecordsRequest b1;
  ASSERT_TRUE(b1.ParseFromString(got.messages[0]));
  ASSERT_EQ(b1.records_size(), 1);
  EXPECT_EQ(b1.records(0).cluster().display_name(), "Klaster Jamu");
  EXPECT_EQ(b1.records(0).version(), 1);
}

TEST_F(StreamingTest, StopEndsOpenStreams) {
  auto stream = StreamReader::Open(port(), "GET", kSubscribe,
                                   {{"Accept", "text/event-stream"}});
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
  stack_->Stop();
  EXPECT_TRUE((*stream)->WaitEnd(absl::Seconds(5)));
  EXPECT_TRUE(backend_->WaitForOpenStreams(0, absl::Seconds(5)));
}

}  // namespace
}  // namespace jalin::gateway::testing
