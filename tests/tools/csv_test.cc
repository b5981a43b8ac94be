// RFC 4180 reading and writing (common/csv).

#include "common/csv/csv.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin::csv {
namespace {

using ::testing::ElementsAre;

std::vector<std::vector<std::string>> ReadAll(
    const std::string& text, std::vector<int64_t>* lines = nullptr) {
  std::istringstream in(text);
  Reader reader(&in);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (true) {
    auto got = reader.Next(&fields);
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok() || !*got) break;
    out.push_back(fields);
    if (lines != nullptr) lines->push_back(reader.line());
  }
  return out;
}

TEST(CsvTest, ReadsQuotedFieldsWithDelimitersQuotesAndLineBreaks) {
  std::vector<int64_t> lines;
  auto rows = ReadAll(
      "a,b,c\n"
      "\"Jamu, Nguter\",\"kata \"\"jamu\"\"\",x\n"
      "\"baris\r\nkedua\",,\n"
      "last,row,here",
      &lines);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[1], ElementsAre("Jamu, Nguter", "kata \"jamu\"", "x"));
  EXPECT_THAT(rows[2], ElementsAre("baris\nkedua", "", ""));
  EXPECT_THAT(rows[3], ElementsAre("last", "row", "here"));
  // A record's line is where it starts; the quoted break spans lines 3-4.
  EXPECT_THAT(lines, ElementsAre(1, 2, 3, 5));
}

TEST(CsvTest, SkipsByteOrderMarkCrLfAndBlankLines) {
  auto rows = ReadAll("\xEF\xBB\xBFid,name\r\n\r\n1,Sri\r\n\n2,Budi\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0], ElementsAre("id", "name"));
  EXPECT_THAT(rows[2], ElementsAre("2", "Budi"));
}

TEST(CsvTest, UnclosedQuoteIsAnErrorNamingTheLine) {
  std::istringstream in("a,b\n1,\"open\n2,3\n");
  Reader reader(&in);
  std::vector<std::string> fields;
  ASSERT_TRUE(*reader.Next(&fields));
  auto got = reader.Next(&fields);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(got.status().message()),
              ::testing::HasSubstr("line 2"));
  // The reader is at the end afterwards.
  auto after = reader.Next(&fields);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(*after);
}

TEST(CsvTest, CountsBytesConsumed) {
  const std::string text = "ab,c\nd,e\n";
  std::istringstream in(text);
  Reader reader(&in);
  std::vector<std::string> fields;
  ASSERT_TRUE(*reader.Next(&fields));
  EXPECT_EQ(reader.bytes_read(), 5);
  ASSERT_TRUE(*reader.Next(&fields));
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(text.size()));
}

TEST(CsvTest, FormatQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(
      FormatRecord({"plain", "a,b", "say \"hi\"", "two\nlines", "", " padded"}),
      "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" padded\"");
}

TEST(CsvTest, WriteThenReadRoundTrips) {
  const std::vector<std::vector<std::string>> rows = {
      {"external_id", "display_name", "description"},
      {"KL-1", "Klaster \"Jamu\", Nguter", "baris satu\nbaris dua"},
      {"KL-2", "", " spasi "},
  };
  std::ostringstream out;
  Writer writer(&out);
  for (const auto& r : rows) writer.Write(r);
  EXPECT_EQ(ReadAll(out.str()), rows);
}

TEST(CsvTest, SplitRecordAndHeaderLookup) {
  auto fields = SplitRecord("x,\"y,z\"\n");
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_THAT(*fields, ElementsAre("x", "y,z"));
  EXPECT_FALSE(SplitRecord("a\nb").ok());
  EXPECT_FALSE(SplitRecord("\"open").ok());

  Header h({"id", "name"});
  EXPECT_EQ(h.Find("name"), 1);
  EXPECT_EQ(h.Find("missing"), -1);
  EXPECT_EQ(h.Get({"7"}, "name"), "");
  EXPECT_EQ(h.Get({"7", "Sri"}, "name"), "Sri");
}

}  // namespace
}  // namespace jalin::csv
