// Reading import files (CSV, JSON Lines, --map) and writing rejected rows.

#include "tools/jalinctl/import/row_source.h"

#include <fstream>
#include <sstream>

#include "common/csv/csv.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/jalinctl/import/rejected_rows.h"

namespace jalin::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::vector<Row> ReadAll(RowSource& source) {
  std::vector<Row> rows;
  Row row;
  while (true) {
    auto more = source.Next(&row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(RowSourceTest, CsvRowsWithMappedColumns) {
  std::istringstream in(
      "nama_usaha,kab,version,_error,catatan\n"
      "Jamu Bu Sri,33.11,1,old reason,x\n"
      "\"Batik \"\"Sekar\"\"\",33.13,2,,\n"
      "too,many,fields,here,now,extra\n");
  auto map = ColumnMap::Parse("nama_usaha=display_name, kab=region,catatan=");
  ASSERT_TRUE(map.ok()) << map.status();
  auto source = OpenRowSource(&in, FileFormat::kCsv, *map);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_THAT((*source)->header(),
              ElementsAre("nama_usaha", "kab", "version", "_error", "catatan"));
  std::vector<Row> rows = ReadAll(**source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 2);
  // Our own "_" columns and columns mapped to nothing are dropped.
  EXPECT_THAT(
      rows[0].cells,
      UnorderedElementsAre(Pair("display_name", "Jamu Bu Sri"),
                           Pair("region", "33.11"), Pair("version", "1")));
  EXPECT_EQ(rows[1].cells.at("display_name"), "Batik \"Sekar\"");
  EXPECT_TRUE(rows[1].error.empty());
  EXPECT_THAT(rows[2].error, HasSubstr("6 fields"));
  EXPECT_EQ(rows[2].raw.size(), 6u);
}

TEST(RowSourceTest, MapAndHeaderErrors) {
  EXPECT_FALSE(ColumnMap::Parse("nama").ok());
  EXPECT_FALSE(ColumnMap::Parse("a=b,a=c").ok());
  std::istringstream empty("");
  EXPECT_FALSE(OpenRowSource(&empty, FileFormat::kCsv, ColumnMap()).ok());
  std::istringstream twice("nama,display_name\n");
  auto map = ColumnMap::Parse("nama=display_name");
  auto source = OpenRowSource(&twice, FileFormat::kCsv, *map);
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(std::string(source.status().message()),
              HasSubstr("display_name"));
}

TEST(RowSourceTest, JsonLinesRows) {
  std::istringstream in(
      "{\"external_id\":\"KL-1\",\"version\":2,\"roles\":[\"PRODUCER\","
      "\"MARKETER\"],\"latitude\":-7.5,\"nama\":\"Klaster A\","
      "\"note\":null}\n"
      "\n"
      "not json\n"
      "{\"external_id\":\"KL-2\",\"leader\":{\"name\":\"x\"}}\n");
  auto map = ColumnMap::Parse("nama=display_name");
  auto source = OpenRowSource(&in, FileFormat::kJsonl, *map);
  ASSERT_TRUE(source.ok());
  std::vector<Row> rows = ReadAll(**source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[0].cells.at("version"), "2");
  EXPECT_EQ(rows[0].cells.at("roles"), "PRODUCER;MARKETER");
  EXPECT_EQ(rows[0].cells.at("latitude"), "-7.5");
  EXPECT_EQ(rows[0].cells.at("display_name"), "Klaster A");
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[1].error, "the line is not a JSON object");
  EXPECT_THAT(rows[2].error, HasSubstr("nested object"));
  EXPECT_EQ(FormatFromPath("x/listings.NDJSON"), FileFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("x/listings.csv"), FileFormat::kCsv);
}

TEST(RejectedRowsTest, CsvFileKeepsTheRowAndNamesLineAndReason) {
  testing::TempDir dir;
  const std::string path = DefaultRejectedPath(dir.File("enterprises.csv"));
  EXPECT_EQ(path, dir.File("enterprises.rejected.csv"));
  RejectedRows rejected(path, FileFormat::kCsv,
                        {"external_id", "_line", "nib"});
  Row row;
  row.line = 7;
  row.raw = {"UM-9", "3", "12, 34"};
  ASSERT_TRUE(rejected.Add(row, "INVALID_ARGUMENT: bad (nib: 13 digits)").ok());
  ASSERT_TRUE(rejected.Close().ok());
  EXPECT_EQ(rejected.count(), 1);
  std::istringstream in(ReadFile(path));
  csv::Reader reader(&in);
  std::vector<std::string> fields;
  ASSERT_TRUE(*reader.Next(&fields));
  // The "_line" column of an older rejected-rows file is replaced.
  EXPECT_THAT(fields, ElementsAre("_line", "_error", "external_id", "nib"));
  ASSERT_TRUE(*reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("7", "INVALID_ARGUMENT: bad (nib: 13 digits)",
                                  "UM-9", "12, 34"));
}

TEST(RejectedRowsTest, JsonLinesAndStaleFiles) {
  testing::TempDir dir;
  const std::string path = dir.File("listings.rejected.jsonl");
  EXPECT_EQ(DefaultRejectedPath(dir.File("listings.jsonl")), path);
  {
    RejectedRows rejected(path, FileFormat::kJsonl, {});
    Row a;
    a.line = 2;
    a.raw = {"{\"external_id\":\"LS-1\",\"_error\":\"old\"}"};
    Row b;
    b.line = 3;
    b.raw = {"not json"};
    ASSERT_TRUE(rejected.Add(a, "why a").ok());
    ASSERT_TRUE(rejected.Add(b, "why b").ok());
    ASSERT_TRUE(rejected.Close().ok());
  }
  std::istringstream in(ReadFile(path));
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  auto first = nlohmann::json::parse(line);
  EXPECT_EQ(first["_line"], 2);
  EXPECT_EQ(first["_error"], "why a");
  EXPECT_EQ(first["external_id"], "LS-1");
  ASSERT_TRUE(std::getline(in, line));
  auto second = nlohmann::json::parse(line);
  EXPECT_EQ(second["_raw"], "not json");

  // A run without rejected rows removes the file of an earlier run.
  RejectedRows clean(path, FileFormat::kJsonl, {});
  ASSERT_TRUE(clean.Close().ok());
  EXPECT_FALSE(std::ifstream(path).good());
}

}  // namespace
}  // namespace jalin::ctl
