// jalinctl's subcommands end to end in-process, against in-process fake
// services: what each sends, what it prints, and its exit code.

#include <fstream>
#include <sstream>

#include "absl/strings/str_split.h"
#include "common/testing/in_process_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/tools/fake_services.h"
#include "tools/jalinctl/command.h"

namespace jalin::ctl {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

struct Output {
  int code;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

class CommandsTest : public ::testing::Test {
 protected:
  CommandsTest()
      : registry_server_(&registry_),
        matching_server_(&matching_),
        notification_server_(&notification_) {}

  // Runs jalinctl with the fakes' addresses and token.
  Output Jalinctl(std::vector<std::string> args, bool with_token = true) {
    std::ostringstream out, err;
    Io io{out, err};
    if (args.size() > 0 && args[0] != "token" && args[0] != "health") {
      args.push_back("--registry_address=" + registry_server_.address());
      args.push_back("--matching_address=" + matching_server_.address());
      args.push_back("--notification_address=" +
                     notification_server_.address());
      if (with_token) args.push_back(std::string("--token=") + testing::kToken);
    }
    const int code = RunJalinctl(args, io);
    return {code, out.str(), err.str()};
  }

  testing::FakeRegistry registry_;
  testing::FakeMatching matching_;
  testing::FakeNotification notification_;
  jalin::testing::InProcessServer registry_server_;
  jalin::testing::InProcessServer matching_server_;
  jalin::testing::InProcessServer notification_server_;
  jalin::testing::TempDir dir_;
};

TEST_F(CommandsTest, ImportReportsCountsRejectedRowsAndExitCode) {
  // Listings refer to clusters: given first, they are still imported last.
  WriteFile(dir_.File("listings.csv"),
            "external_id,version,kind,owner,category,title\n"
            "LS-1,1,offer,KL-1,jahe,Jahe segar\n");
  WriteFile(dir_.File("clusters.csv"),
            "external_id,version,display_name,region,sector,warna\n"
            "KL-1,1,Klaster Jahe,33.13,jahe,merah\n"
            "KL-2,1,,33.13,jahe,biru\n"
            "KL-3,one,Klaster Kunyit,33.13,kunyit,\n");
  Output r = Jalinctl({"import", dir_.File("listings.csv"),
                       dir_.File("clusters.csv"), "--progress=none"});
  EXPECT_EQ(r.code, kPartial) << r.err;
  // Summary: clusters first, then listings.
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
  ASSERT_GE(lines.size(), 5u) << r.out;
  EXPECT_THAT(lines[0], AllOf(HasSubstr("rows"), HasSubstr("created"),
                              HasSubstr("rejected")));
  EXPECT_THAT(lines[2], AllOf(HasSubstr("clusters.csv"), HasSubstr("3"),
                              HasSubstr("clusters.rejected.csv")));
  EXPECT_THAT(lines[3], HasSubstr("listings.csv"));
  EXPECT_THAT(lines[4], HasSubstr("total"));
  EXPECT_THAT(r.err, HasSubstr("ignoring columns warna"));
  EXPECT_EQ(registry_.records().size(), 2u);
  const std::string rejected = ReadFile(dir_.File("clusters.rejected.csv"));
  EXPECT_THAT(rejected, HasSubstr("_line,_error,external_id"));
  EXPECT_THAT(rejected, HasSubstr("3,INVALID_ARGUMENT: invalid record: "
                                  "display_name is required,KL-2"));
  EXPECT_THAT(rejected, HasSubstr("4,\"INVALID_ARGUMENT: cannot read this "
                                  "cluster row"));
  EXPECT_FALSE(std::ifstream(dir_.File("listings.rejected.csv")).good());

  // Again, as JSON: nothing new, the same rows rejected.
  Output again =
      Jalinctl({"import", dir_.File("clusters.csv"), dir_.File("listings.csv"),
                "--output=json", "--progress=none"});
  EXPECT_EQ(again.code, kPartial);
  auto json = nlohmann::json::parse(again.out);
  ASSERT_EQ(json["files"].size(), 2u);
  EXPECT_EQ(json["files"][0]["unchanged"], 1);
  EXPECT_EQ(json["files"][0]["rejected"], 2);
  EXPECT_EQ(json["files"][1]["unchanged"], 1);
  EXPECT_EQ(json["files"][1]["created"], 0);
}

TEST_F(CommandsTest, ImportUsageErrors) {
  WriteFile(dir_.File("umkm.csv"), "external_id,version\n");
  EXPECT_EQ(Jalinctl({"import", dir_.File("umkm.csv")}).code, kUsage);
  EXPECT_EQ(Jalinctl({"import", dir_.File("umkm.csv"), "--type=umkm"}).code,
            kUsage);
  EXPECT_EQ(Jalinctl({"import"}).code, kUsage);
  EXPECT_EQ(Jalinctl({"import", dir_.File("missing-clusters.csv")}).code,
            kUsage);
  Output mapped = Jalinctl({"import", dir_.File("umkm.csv"), "--map=broken"});
  EXPECT_EQ(mapped.code, kUsage);
  EXPECT_THAT(mapped.err, HasSubstr("file_column=jalin_column"));
  // With --type and --map a file of another shape imports.
  WriteFile(dir_.File("umkm.csv"),
            "kode,versi,nama_usaha,kab\nU1,1,Jamu Bu Sri,33.11\n");
  Output ok = Jalinctl({"import", dir_.File("umkm.csv"), "--type=enterprises",
                        "--map=kode=external_id,versi=version,nama_usaha="
                        "display_name,kab=region",
                        "--progress=none"});
  EXPECT_EQ(ok.code, kOk) << ok.err;
  EXPECT_EQ(registry_.records().at("U1").record.enterprise().display_name(),
            "Jamu Bu Sri");
  Output columns = Jalinctl({"import", "--columns"});
  EXPECT_THAT(columns.out, HasSubstr("required_certifications"));
}

TEST_F(CommandsTest, GetAndListAnyResource) {
  WriteFile(dir_.File("clusters.csv"),
            "external_id,version,display_name,region,sector,member_count\n"
            "KL-1,1,Klaster Jahe,33.13,jahe,120\n"
            "KL-2,1,Klaster Jamu,33.11,jamu,80\n"
            "KL-3,1,Klaster Teh,33.13,teh,40\n");
  ASSERT_EQ(
      Jalinctl({"import", dir_.File("clusters.csv"), "--progress=none"}).code,
      kOk);
  const std::string name = registry_.records().at("KL-1").name;

  Output get = Jalinctl({"get", name});
  EXPECT_EQ(get.code, kOk) << get.err;
  EXPECT_THAT(get.out, HasSubstr("display_name     Klaster Jahe"));
  EXPECT_THAT(get.out, HasSubstr("location.region  regions/33.13"));
  Output json = Jalinctl({"get", name, "--output=json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["memberCount"], 120);

  Output missing = Jalinctl({"get", "clusters/nope"});
  EXPECT_EQ(missing.code, kNotFound);
  EXPECT_THAT(missing.err, HasSubstr("error: NOT_FOUND: clusters/nope"));
  EXPECT_EQ(Jalinctl({"get", "widgets/1"}).code, kUsage);
  EXPECT_EQ(Jalinctl({"get"}).code, kUsage);

  Output list = Jalinctl({"list", "clusters", "--region=33.13"});
  EXPECT_EQ(list.code, kOk) << list.err;
  EXPECT_THAT(list.out,
              AllOf(HasSubstr("display_name"), HasSubstr("Klaster Jahe"),
                    HasSubstr("Klaster Teh"), Not(HasSubstr("Klaster Jamu"))));
  // Pages are followed until --limit.
  Output two = Jalinctl({"list", "cluster", "--limit=2", "--output=json"});
  EXPECT_EQ(nlohmann::json::parse(two.out).size(), 2u);
  Output all = Jalinctl({"list", "clusters", "--limit=0", "--output=json"});
  EXPECT_EQ(nlohmann::json::parse(all.out).size(), 3u);
  Output listed = Jalinctl({"list", "clusters", "--limit=1"});
  EXPECT_THAT(listed.err, HasSubstr("(1 of 3; --limit 0 lists all)"));

  EXPECT_EQ(Jalinctl({"list", "widgets"}).code, kUsage);
  Output bad_filter = Jalinctl({"list", "clusters", "--role=chef"});
  EXPECT_EQ(bad_filter.code, kUsage);
  EXPECT_THAT(bad_filter.err, HasSubstr("RAW_MATERIAL_SUPPLIER"));
  Output help = Jalinctl({"list", "enterprises", "--help"});
  EXPECT_THAT(help.out, AllOf(HasSubstr("--scale"), HasSubstr("--nib"),
                              HasSubstr("--certification")));
}

TEST_F(CommandsTest, ReportChannelingInEveryFormat) {
  Output table =
      Jalinctl({"report", "channeling", "--from=33.11", "--to=33.13"});
  EXPECT_EQ(table.code, kOk) << table.err;
  EXPECT_EQ(matching_.last_report_request().region_a(), "regions/33.11");
  EXPECT_EQ(matching_.last_report_request().region_b(), "regions/33.13");
  EXPECT_THAT(table.out,
              AllOf(HasSubstr("Kabupaten Sukoharjo (33.11) <-> Kabupaten "
                              "Karanganyar (33.13)"),
                    HasSubstr("3 peluang: 1 dari Kabupaten Sukoharjo ke "
                              "Kabupaten Karanganyar, 2 dari Kabupaten "
                              "Karanganyar ke Kabupaten Sukoharjo"),
                    HasSubstr("B -> A"), HasSubstr("A -> B"),
                    HasSubstr("Klaster Jahe Kemuning (33.13)"),
                    HasSubstr("[0,82] Penawaran dan kebutuhan cocok: Klaster "
                              "Jamu Nguter butuh jahe"),
                    HasSubstr("penawaran listings/offer-jahe, kebutuhan "
                              "listings/need-jahe")));

  Output md = Jalinctl({"report", "channeling", "--from=33.11", "--to=33.13",
                        "--output=markdown", "--lang=en"});
  EXPECT_EQ(md.code, kOk);
  EXPECT_THAT(md.out,
              AllOf(HasSubstr("# Minutes of the business meeting: Kabupaten "
                              "Sukoharjo – Kabupaten Karanganyar"),
                    HasSubstr("## Kabupaten Sukoharjo → Kabupaten Karanganyar"),
                    HasSubstr("## Kabupaten Karanganyar → Kabupaten Sukoharjo"),
                    HasSubstr("- Ginger is a main raw material of jamu "
                              "(Complementary clusters, score 0.61)"),
                    HasSubstr("| 1 | Klaster Mebel \\| Kayu (33.11) | "
                              "Klaster Jamur Tiram (33.13) |  |  |")));

  Output json = Jalinctl(
      {"report", "channeling", "--from=33.11", "--to=33.13", "--output=json"});
  auto report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["aToBCount"], 1);
  EXPECT_EQ(report["bToACount"], 2);

  // A service error: message, then every violation on its own line.
  Output invalid =
      Jalinctl({"report", "channeling", "--from=33.11", "--to=33.11"});
  EXPECT_EQ(invalid.code, kInvalid);
  EXPECT_THAT(invalid.err,
              AllOf(HasSubstr("error: INVALID_ARGUMENT: invalid report "
                              "request"),
                    HasSubstr("\n  region_b: must differ from region_a\n"),
                    HasSubstr("\n  region_a: must be a kabupaten or kota\n")));
  EXPECT_EQ(Jalinctl({"report", "channeling", "--from=33.11"}).code, kUsage);
  EXPECT_EQ(Jalinctl({"report", "tuesday", "--from=1", "--to=2"}).code, kUsage);
  EXPECT_EQ(Jalinctl({"report", "channeling", "--from=33.11", "--to=33.13",
                      "--output=pdf"})
                .code,
            kUsage);
}

TEST_F(CommandsTest, MatchPrintsCounterparts) {
  Output r = Jalinctl({"match", "need-jahe"});
  EXPECT_EQ(r.code, kOk) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("listings/offer-0"),
                           HasSubstr("Klaster Jahe Kemuning"),
                           HasSubstr("0.912"), HasSubstr("Jarak dekat"),
                           // No display name: the owner's name.
                           HasSubstr("clusters/owner-1")));
  Output en =
      Jalinctl({"match", "listings/need-jahe", "--lang=en", "--output=json"});
  EXPECT_EQ(nlohmann::json::parse(en.out)["matches"].size(), 2u);
  EXPECT_EQ(Jalinctl({"match", "listings/other"}).code, kNotFound);
  EXPECT_EQ(Jalinctl({"match"}).code, kUsage);
}

TEST_F(CommandsTest, ProposalLifecycleCommands) {
  Output propose = Jalinctl({"propose", "--offer=offer-jahe",
                             "--need=listings/need-jahe", "--note=Silakan"});
  EXPECT_EQ(propose.code, kOk) << propose.err;
  EXPECT_THAT(propose.out,
              AllOf(HasSubstr("proposals/p1"), HasSubstr("PROPOSED"),
                    HasSubstr("listings/offer-jahe")));
  ASSERT_EQ(matching_.request_ids().size(), 1u);
  EXPECT_EQ(matching_.request_ids()[0].size(), 26u);  // a fresh ULID
  EXPECT_EQ(Jalinctl({"propose", "--offer=x"}).code, kUsage);

  Output accept = Jalinctl({"accept", "p1", "--party=clusters/jamu",
                            "--comment=Setuju", "--request_id=req-1"});
  EXPECT_EQ(accept.code, kOk) << accept.err;
  EXPECT_THAT(accept.out, HasSubstr("PARTIALLY_ACCEPTED"));
  EXPECT_EQ(matching_.last_answer().name(), "proposals/p1");
  EXPECT_EQ(matching_.last_answer().party(), "clusters/jamu");
  EXPECT_EQ(matching_.last_answer().comment(), "Setuju");
  EXPECT_EQ(matching_.last_answer().request_id(), "req-1");
  EXPECT_EQ(Jalinctl({"accept", "proposals/p2"}).code, kNotFound);

  Output outcome =
      Jalinctl({"outcome", "p1", "--volume=2 ton/bulan", "--value=30000000",
                "--deal_date=2026-02-01", "--note=Lancar"});
  EXPECT_EQ(outcome.code, kOk) << outcome.err;
  // last_outcome() returns a copy: keep it alive while reading from it.
  const matching::v1::RecordOutcomeRequest last = matching_.last_outcome();
  const auto& o = last.outcome();
  EXPECT_EQ(o.volume().amount(), 2);
  EXPECT_EQ(o.volume().unit(), type::v1::TON);
  EXPECT_EQ(o.volume().period(), type::v1::MONTH);
  EXPECT_EQ(o.value().amount(), 30000000);
  EXPECT_EQ(o.deal_date().month(), 2);
  EXPECT_THAT(outcome.out,
              AllOf(HasSubstr("COMPLETED"), HasSubstr("Rp 30.000.000"),
                    HasSubstr("2 TON/MONTH")));
  EXPECT_EQ(Jalinctl({"outcome", "p1", "--volume=banyak"}).code, kUsage);
  EXPECT_EQ(Jalinctl({"outcome", "p1", "--deal_date=kemarin"}).code, kUsage);
}

TEST_F(CommandsTest, WatchResumesFromTheLastCursorAfterADrop) {
  Output r = Jalinctl({"watch", "enterprises/x", "--count=3", "--output=json",
                       "--duration=60s"});
  EXPECT_EQ(r.code, kOk) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << r.out;
  std::vector<std::string> cursors;
  for (const std::string& l : lines) {
    cursors.push_back(nlohmann::json::parse(l)["cursor"]);
  }
  // Each notification exactly once, though the first stream dropped.
  EXPECT_THAT(cursors, ElementsAre("c1", "c2", "c3"));
  EXPECT_THAT(notification_.cursors_asked(), ElementsAre("", "c2"));
  EXPECT_THAT(
      notification_.parents_asked(),
      ElementsAre("recipients/enterprises~x", "recipients/enterprises~x"));
  EXPECT_THAT(r.err, HasSubstr("reconnecting"));

  Output table =
      Jalinctl({"watch", "recipients/users~ani", "--cursor=c1", "--count=2"});
  EXPECT_EQ(table.code, kOk) << table.err;
  EXPECT_THAT(table.out, AllOf(HasSubstr("jalin.matching.proposal.created  "
                                         "Usulan baru 2"),
                               HasSubstr("    Ada usulan kerja sama")));
}

TEST_F(CommandsTest, TokensAndUnreachableServices) {
  Output denied = Jalinctl({"get", "clusters/f1", "--token=wrong"}, false);
  EXPECT_EQ(denied.code, kDenied);
  EXPECT_THAT(denied.err,
              AllOf(HasSubstr("UNAUTHENTICATED"), HasSubstr("--token_file")));
  WriteFile(dir_.File("token"), std::string(testing::kToken) + "\n");
  Output from_file =
      Jalinctl({"report", "channeling", "--from=33.11", "--to=33.13",
                "--token_file=" + dir_.File("token")},
               false);
  EXPECT_EQ(from_file.code, kOk) << from_file.err;
  EXPECT_EQ(Jalinctl({"get", "clusters/f1",
                      "--token_file=" + dir_.File("no-such-file")},
                     false)
                .code,
            kUsage);

  // A token with bytes gRPC refuses in metadata is a usage error, from a
  // flag or a file, before any call.
  Output tab = Jalinctl({"get", "clusters/f1", "--token=a\tb"}, false);
  EXPECT_EQ(tab.code, kUsage);
  EXPECT_THAT(tab.err, HasSubstr("not a bearer token"));
  WriteFile(dir_.File("bad-token"), "t\xc3\xb6ken\n");
  Output non_ascii = Jalinctl(
      {"get", "clusters/f1", "--token_file=" + dir_.File("bad-token")}, false);
  EXPECT_EQ(non_ascii.code, kUsage);
  EXPECT_THAT(non_ascii.err, HasSubstr("not a bearer token"));

  std::ostringstream out, err;
  Io io{out, err};
  // Nothing listens on port 1 of the loopback.
  const int code =
      RunJalinctl({"get", "clusters/f1", "--registry_address=127.0.0.1:1",
                   "--token=x", "--timeout=3s"},
                  io);
  EXPECT_EQ(code, kUnavailable) << err.str();
}

TEST_F(CommandsTest, EveryCommandHasHelp) {
  for (const Command& c : Commands()) {
    std::ostringstream out, err;
    Io io{out, err};
    std::vector<std::string> args = {c.name};
    if (c.name == "list") args.push_back("clusters");
    args.push_back("--help");
    EXPECT_EQ(RunJalinctl(args, io), kOk) << c.name << ": " << err.str();
    EXPECT_THAT(out.str(), HasSubstr("Settings")) << c.name;
  }
  std::ostringstream out, err;
  Io io{out, err};
  EXPECT_EQ(RunJalinctl({}, io), kUsage);
  EXPECT_EQ(RunJalinctl({"frobnicate"}, io), kUsage);
  EXPECT_EQ(RunJalinctl({"--help"}, io), kOk);
  EXPECT_THAT(out.str(), AllOf(HasSubstr("exit codes"), HasSubstr("report"),
                               HasSubstr("watch")));
}

}  // namespace
}  // namespace jalin::ctl
