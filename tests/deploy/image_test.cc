// The container image cannot be built here (no Docker engine), so its parts
// are tested on the real binaries: deploy/runtime-packages.sh names packages
// that hold every library the programs load, deploy/stage-image.sh lays out
// programs that run, and deploy/Dockerfile wires them together as a non-root
// image built by the same dev.sh steps as CI.

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "tests/deploy/command.h"
#include "tests/deploy/manifests.h"
#include "tests/deploy/overlays.h"
#include "tests/deploy/service_settings.h"

namespace jalin::deploy {
namespace {
namespace fs = std::filesystem;

std::string SourcePath(const std::string& relative) {
  return (fs::path(JALIN_SOURCE_DIR) / relative).string();
}

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipWhitespace());
}

// The canonical file behind a path ("" if it does not exist).
std::string Canonical(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::canonical(path, ec);
  return ec ? "" : p.string();
}

class DeployImage : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<const std::vector<ServiceInfo>*> s = Services();
    ASSERT_TRUE(s.ok()) << s.status();
    for (const ServiceInfo& info : **s) programs_.push_back(info.binary);
    programs_.push_back(
        (fs::path(JALIN_BINARY_DIR) / "tools" / "jalinctl" / "jalinctl")
            .string());
    services_ = *s;
  }

  absl::StatusOr<CommandResult> RuntimePackages(
      const std::vector<std::string>& programs) {
    std::vector<std::string> argv = {SourcePath("deploy/runtime-packages.sh")};
    argv.insert(argv.end(), programs.begin(), programs.end());
    return RunCommand(argv);
  }

  std::vector<std::string> programs_;
  const std::vector<ServiceInfo>* services_ = nullptr;
};

TEST_F(DeployImage, RuntimePackagesHoldEveryLibraryTheProgramsLoad) {
  absl::StatusOr<CommandResult> run = RuntimePackages(programs_);
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->exit_code, 0) << run->err;
  std::vector<std::string> packages = Lines(run->out);
  ASSERT_FALSE(packages.empty());

  // Every file the packages install, by canonical path, read the other way
  // round from the script (dpkg -L per package, not dpkg -S per file).
  std::set<std::string> files;
  std::vector<std::string> problems;
  for (const std::string& package : packages) {
    absl::StatusOr<CommandResult> status =
        RunCommand({"dpkg-query", "-W", "-f=${Status}", package});
    if (!status.ok() || status->out != "install ok installed") {
      problems.push_back(package + " is not an installed package");
      continue;
    }
    absl::StatusOr<CommandResult> list =
        RunCommand({"dpkg-query", "-L", package});
    ASSERT_TRUE(list.ok()) << list.status();
    for (const std::string& file : Lines(list->out)) {
      std::string canonical = Canonical(file);
      if (!canonical.empty()) files.insert(canonical);
    }
  }

  size_t libraries = 0;
  for (const std::string& program : programs_) {
    absl::StatusOr<CommandResult> ldd = RunCommand({"ldd", program});
    ASSERT_TRUE(ldd.ok()) << ldd.status();
    ASSERT_EQ(ldd->exit_code, 0) << program << ": " << ldd->err;
    for (std::string line : Lines(ldd->out)) {
      absl::StripAsciiWhitespace(&line);
      std::string path;
      if (size_t arrow = line.find(" => /"); arrow != std::string::npos) {
        path = line.substr(arrow + 4, line.find(" (") - arrow - 4);
      } else if (absl::StartsWith(line, "/")) {
        path = line.substr(0, line.find(" ("));
      } else {
        continue;  // linux-vdso: the kernel's
      }
      ++libraries;
      if (!files.count(Canonical(path))) {
        problems.push_back(
            absl::StrCat(fs::path(program).filename().string(), " loads ", path,
                         ", which none of the printed packages (",
                         absl::StrJoin(packages, " "), ") holds"));
      }
    }
  }
  EXPECT_GT(libraries, programs_.size());
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
}

TEST_F(DeployImage, RuntimePackagesRefuseALibraryNoPackageOwns) {
  absl::StatusOr<CommandResult> run = RuntimePackages({JALIN_ORPHAN_PROGRAM});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_NE(run->exit_code, 0);
  EXPECT_TRUE(run->out.empty()) << run->out;
  EXPECT_TRUE(absl::StrContains(run->err, "libjalin_test_orphan.so"))
      << run->err;
  EXPECT_TRUE(absl::StrContains(run->err, "no Debian package owns"))
      << run->err;
}

TEST_F(DeployImage, RuntimePackagesRefuseALibraryTheLoaderCannotFind) {
  // Alone in a directory, the program cannot find the library its RPATH
  // ($ORIGIN) names.
  testing::TempDir dir;
  const std::string copy = dir.File("orphan-program");
  fs::copy_file(JALIN_ORPHAN_PROGRAM, copy);
  fs::permissions(copy, fs::perms::owner_all);
  absl::StatusOr<CommandResult> run = RuntimePackages({copy});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_NE(run->exit_code, 0);
  EXPECT_TRUE(absl::StrContains(run->err, "libjalin_test_orphan.so"))
      << run->err;
  EXPECT_TRUE(absl::StrContains(run->err, "cannot find")) << run->err;
}

TEST_F(DeployImage, StageImageLaysOutProgramsThatRun) {
  testing::TempDir dir;
  const std::string out = dir.File("root");
  absl::StatusOr<CommandResult> stage =
      RunCommand({SourcePath("deploy/stage-image.sh"), JALIN_BINARY_DIR, out});
  ASSERT_TRUE(stage.ok()) << stage.status();
  ASSERT_EQ(stage->exit_code, 0) << stage->err;

  // The command is the service name, and the staged (stripped) program
  // behaves as the built one.
  for (const ServiceInfo& s : *services_) {
    const std::string command = out + "/usr/local/bin/" + s.name;
    absl::StatusOr<CommandResult> staged =
        RunCommand({command, "--settings"}, std::vector<std::string>{});
    ASSERT_TRUE(staged.ok()) << staged.status();
    EXPECT_EQ(staged->exit_code, 0) << command << ": " << staged->err;
    absl::StatusOr<std::vector<Setting>> settings =
        ParseSettingsTable(staged->out);
    ASSERT_TRUE(settings.ok()) << settings.status();
    EXPECT_EQ(settings->size(), s.settings.size()) << command;

    absl::StatusOr<CommandResult> sections =
        RunCommand({"readelf", "--section-headers", "--wide",
                    out + "/opt/jalin/bin/jalin-" + s.name});
    ASSERT_TRUE(sections.ok()) << sections.status();
    EXPECT_FALSE(absl::StrContains(sections->out, ".debug_info"))
        << "jalin-" << s.name << " keeps its debug information";

    // The services with large heaps run on jemalloc with the options
    // compiled into them (common/malloc/malloc_conf.cc), stripped or not;
    // jemalloc prints its options at exit when asked to.
    if (s.name == "gateway") continue;
    absl::StatusOr<CommandResult> options =
        RunCommand({command, "--settings"},
                   std::vector<std::string>{"MALLOC_CONF=stats_print:true"});
    ASSERT_TRUE(options.ok()) << options.status();
    for (const absl::string_view option :
         {"opt.lg_extent_max_active_fit: 12\n", "opt.thp: \"always\"\n",
          "opt.metadata_thp: \"always\"\n"}) {
      EXPECT_TRUE(absl::StrContains(options->err, option))
          << command << " does not run with jalin's jemalloc option " << option;
    }
  }
  absl::StatusOr<CommandResult> ctl =
      RunCommand({out + "/usr/local/bin/jalinctl", "--help"});
  ASSERT_TRUE(ctl.ok()) << ctl.status();
  EXPECT_EQ(ctl->exit_code, 0) << ctl->err;

  // Data files as in the source tree; the relative defaults resolve in
  // /opt/jalin (data, var/<service>.db on the volume).
  absl::StatusOr<std::string> regions = ReadSourceFile("data/regions.csv");
  ASSERT_TRUE(regions.ok()) << regions.status();
  std::ifstream staged_regions(out + "/opt/jalin/data/regions.csv");
  std::ostringstream staged_text;
  staged_text << staged_regions.rdbuf();
  EXPECT_EQ(staged_text.str(), *regions);
  EXPECT_EQ(fs::read_symlink(out + "/opt/jalin/var"), "/var/lib/jalin");

  // The package list is the script's answer for the staged programs, which
  // is the same as for the built ones.
  std::ifstream list(out + "/opt/jalin/runtime-packages.txt");
  std::ostringstream list_text;
  list_text << list.rdbuf();
  absl::StatusOr<CommandResult> direct = RuntimePackages(programs_);
  ASSERT_TRUE(direct.ok()) << direct.status();
  EXPECT_EQ(list_text.str(), direct->out);
}

// The Dockerfile's instructions, with continuation lines joined.
struct Instruction {
  std::string keyword;  // "FROM", "RUN", ...
  std::string args;
  int stage;  // 0-based index of its FROM
};

std::vector<Instruction> ParseDockerfile(const std::string& text) {
  std::vector<Instruction> out;
  std::string pending;
  int stage = -1;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    if (absl::ConsumeSuffix(&line, "\\")) {
      absl::StrAppend(&pending, line, " ");
      continue;
    }
    absl::StrAppend(&pending, line);
    size_t space = pending.find(' ');
    Instruction i{pending.substr(0, space),
                  space == std::string::npos ? "" : pending.substr(space + 1),
                  stage};
    if (i.keyword == "FROM") i.stage = ++stage;
    out.push_back(i);
    pending.clear();
  }
  return out;
}

TEST_F(DeployImage, DockerfileBuildsWithDevShAndRunsTheStagedTreeAsNonRoot) {
  absl::StatusOr<std::string> text = ReadSourceFile("deploy/Dockerfile");
  ASSERT_TRUE(text.ok()) << text.status();
  std::vector<Instruction> instructions = ParseDockerfile(*text);
  std::vector<const Instruction*> froms;
  for (const Instruction& i : instructions) {
    if (i.keyword == "FROM") froms.push_back(&i);
  }
  ASSERT_EQ(froms.size(), 2u) << "a build stage and a runtime stage";
  std::vector<std::string> build_from = absl::StrSplit(froms[0]->args, ' ');
  ASSERT_EQ(build_from.size(), 3u)
      << "FROM <image> AS <name>: " << froms[0]->args;
  const std::string build_stage = build_from[2];
  // Both stages on the Debian release the packages come from.
  EXPECT_TRUE(absl::StartsWith(build_from[0], "debian:bookworm"))
      << froms[0]->args;
  EXPECT_TRUE(absl::StartsWith(froms[1]->args, "debian:bookworm"))
      << froms[1]->args;

  std::string build_runs, runtime_runs, user, workdir;
  bool copies_stage = false, copies_anything_else = false;
  for (const Instruction& i : instructions) {
    if (i.keyword == "RUN") {
      absl::StrAppend(i.stage == 0 ? &build_runs : &runtime_runs, i.args, "\n");
    }
    if (i.stage == 1 && i.keyword == "COPY") {
      if (i.args == absl::StrCat("--from=", build_stage, " /stage/ /")) {
        copies_stage = true;
      } else {
        copies_anything_else = true;
      }
    }
    if (i.stage == 1 && i.keyword == "USER") user = i.args;
    if (i.stage == 1 && i.keyword == "WORKDIR") workdir = i.args;
  }
  // The same steps as CI, and the staging script (no second package list).
  EXPECT_TRUE(absl::StrContains(build_runs, "deploy/dev.sh deps"))
      << build_runs;
  EXPECT_TRUE(absl::StrContains(build_runs, "deploy/dev.sh build release"))
      << build_runs;
  EXPECT_TRUE(absl::StrContains(build_runs,
                                "deploy/stage-image.sh build/release /stage"))
      << build_runs;
  EXPECT_TRUE(copies_stage) << "the runtime stage copies /stage/ to /";
  EXPECT_FALSE(copies_anything_else) << "the runtime stage copies only /stage/";
  EXPECT_TRUE(
      absl::StrContains(runtime_runs, "/opt/jalin/runtime-packages.txt"))
      << runtime_runs;
  for (absl::string_view word : absl::StrSplit(runtime_runs, ' ')) {
    EXPECT_FALSE(absl::StartsWith(word, "lib"))
        << "the runtime stage names library package " << word
        << " by hand; deploy/runtime-packages.sh finds them";
  }
  EXPECT_EQ(workdir, "/opt/jalin")
      << "where the programs' relative defaults resolve";

  // A numeric non-root user, the same the manifests and compose run as.
  std::vector<std::string> ids = absl::StrSplit(user, ':');
  int uid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(ids[0], &uid)) << "USER " << user;
  EXPECT_NE(uid, 0);
  for (const std::string& overlay : OverlayNames()) {
    absl::StatusOr<const Manifests*> m = RenderedOverlay(overlay);
    ASSERT_TRUE(m.ok()) << m.status();
    for (const ServiceInfo& s : *services_) {
      std::optional<Workload> w = (*m)->FindWorkload(s.name);
      ASSERT_TRUE(w.has_value()) << overlay << ": " << s.name;
      EXPECT_EQ(Str(w->pod_spec()["securityContext"]["runAsUser"]), ids[0])
          << "k8s/overlays/" << overlay << ": " << w->id()
          << " runs as another user than the image's";
    }
  }
  absl::StatusOr<std::string> compose = ReadSourceFile("deploy/compose.yaml");
  ASSERT_TRUE(compose.ok()) << compose.status();
  EXPECT_TRUE(absl::StrContains(*compose, absl::StrCat("user: \"", user, "\"")))
      << "deploy/compose.yaml runs as another user than the image's (" << user
      << ")";
}

}  // namespace
}  // namespace jalin::deploy
