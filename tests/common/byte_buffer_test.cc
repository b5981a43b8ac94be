// The raw-method helpers: pieces handed to gRPC arrive whole and in order,
// and a request that is not the expected message is INVALID_ARGUMENT.

#include "common/rpc/byte_buffer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "jalin/matching/v1/channeling.pb.h"

namespace jalin::rpc {
namespace {

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

TEST(ByteBufferTest, PiecesArriveInOrderWithEmptyOnesSkipped) {
  std::vector<std::string> pieces = {"ab", "", std::string(100'000, 'c'), "d"};
  const std::string expected = "ab" + std::string(100'000, 'c') + "d";
  grpc::ByteBuffer buffer = ToByteBuffer(std::move(pieces));
  EXPECT_EQ(buffer.Length(), expected.size());
  EXPECT_EQ(Bytes(buffer), expected);
  // A copy shares the bytes and outlives the original.
  grpc::ByteBuffer copy;
  {
    grpc::ByteBuffer original = ToByteBuffer({"xy", "z"});
    copy = original;
  }
  EXPECT_EQ(Bytes(copy), "xyz");
  EXPECT_EQ(ToByteBuffer({}).Length(), 0u);
}

TEST(ByteBufferTest, ParsesAMessageAndRefusesWhatIsNotOne) {
  matching::v1::GenerateChannelingReportRequest request;
  request.set_region_a("regions/33.13");
  request.set_max_per_pair(4);
  grpc::ByteBuffer buffer = ToByteBuffer({request.SerializeAsString()});
  matching::v1::GenerateChannelingReportRequest parsed;
  ASSERT_TRUE(ParseByteBuffer(buffer, &parsed).ok());
  EXPECT_EQ(parsed.region_a(), "regions/33.13");
  EXPECT_EQ(parsed.max_per_pair(), 4);

  // A field whose length runs past the end.
  grpc::ByteBuffer truncated = ToByteBuffer({std::string("\x0a\x50zz", 4)});
  const absl::Status s = ParseByteBuffer(truncated, &parsed);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("GenerateChannelingReportRequest"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace jalin::rpc
