// Scenario "registry-import": bulk import through the registry, end to end,
// against raw SQLite inserts of the same rows.
//
// End to end: the real jalin-registry runs as a child process (its own
// Redis, its own store with the default durability, synchronous=FULL).
// This process, as a kabupaten system would, streams N enterprise records
// (200,000 × scale) through ImportRecords in batches of 1,000; each
// enterprise belongs to a cluster (referenced as "external:<id>"), one
// category and holds one certificate. A record counts when its batch was
// answered (after commit) and its enterprise.created event is on the
// Redis stream (the outbox relay published it).
//
// Baseline, same run: the same rows (enterprise row with the stored
// record blob, cluster, category and certification membership rows) into
// a fresh SQLite file with the registry's schema and indexes (read from
// the registry's own store), same pragmas, one transaction per 1,000
// records, prepared statements, one thread. It runs before and after the
// import; their mean is the baseline.
//
// Goal: end-to-end rate >= 0.5 × raw insert rate. Also printed: the rate
// of answered batches alone and the registry's peak resident memory.

#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/ids.h"
#include "common/redis/redis_client.h"
#include "common/rpc/client.h"
#include "common/testing/suite.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "tools/bench/bench.h"

namespace jalin::bench {
namespace {

namespace v1 = jalin::registry::v1;

constexpr int kBatch = 1000;
constexpr int kClusters = 35;

// Kabupaten/kota of Jawa Tengah: 33.01..33.29 and 33.71..33.76.
std::string RegionOf(int i) {
  const int k = i % kClusters;
  return k < 29 ? absl::StrCat("33.", k + 1 < 10 ? "0" : "", k + 1)
                : absl::StrCat("33.", 71 + (k - 29));
}

const char* const kCategories[] = {
    "jamu-gendong", "batik-tulis", "lurik",   "keripik-kerupuk",
    "mebel-kayu",   "jamur-tiram", "gerabah", "lele"};
const char* const kRoots[] = {"jamu",  "tekstil", "tekstil", "makanan-olahan",
                              "mebel", "jamur",   "keramik", "perikanan"};

v1::Cluster ClusterRecord(int k) {
  v1::Cluster c;
  c.set_display_name(absl::StrCat("Klaster ", k));
  c.mutable_location()->set_region("regions/" + RegionOf(k));
  c.set_sector("categories/kerajinan");
  c.add_roles(v1::PRODUCER);
  c.set_member_count(100);
  return c;
}

// Enterprise i as the kabupaten system sends it.
v1::Enterprise EnterpriseRecord(int i) {
  v1::Enterprise e;
  e.set_nib(absl::StrCat(9100000000000LL + i));
  e.set_display_name(absl::StrCat("UMKM Binaan Nomor ", i));
  e.set_scale(i % 7 == 0 ? v1::KECIL : v1::MIKRO);
  e.mutable_location()->set_region("regions/" + RegionOf(i));
  e.mutable_location()->set_address(
      absl::StrCat("Jl. Raya Desa No. ", i % 300, ", RT 02 RW 05"));
  e.add_clusters(absl::StrCat("external:cluster-", i % kClusters));
  e.add_categories(absl::StrCat("categories/", kCategories[i % 8]));
  auto* cert = e.add_certifications();
  cert->set_kind(jalin::type::v1::PIRT);
  cert->set_number(absl::StrCat("P-IRT ", 2063313010000 + i));
  cert->mutable_expire_date()->set_year(2030);
  cert->mutable_expire_date()->set_month(1 + i % 12);
  cert->mutable_expire_date()->set_day(1 + i % 28);
  auto* contact = e.add_contacts();
  contact->set_display_name("Pemilik Usaha");
  contact->set_phone(absl::StrCat("0812", 10000000 + i));
  e.set_employee_count(1 + i % 9);
  return e;
}

v1::ImportRecordsRequest Batch(int from, int to) {
  v1::ImportRecordsRequest b;
  b.set_batch_id(absl::StrCat(from));
  for (int i = from; i < to; ++i) {
    v1::ImportRecord* r = b.add_records();
    r->set_external_id(absl::StrCat("umkm-", i));
    r->set_version(1);
    *r->mutable_enterprise() = EnterpriseRecord(i);
  }
  return b;
}

struct EndToEnd {
  double ack_rate = 0;
  double rate = 0;
  int64_t peak_rss = 0;
};

absl::StatusOr<int64_t> StreamLength(redis::Client& redis) {
  absl::StatusOr<redis::Reply> r =
      redis.Command({"XLEN", "jalin.registry.events"});
  if (!r.ok()) return r.status();
  return r->integer;
}

// Events the registry committed but has not published yet, read from its
// store (a second, read-only connection; WAL lets it read alongside).
absl::StatusOr<int64_t> OutboxPending(const std::string& store) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return absl::UnavailableError("cannot open the registry store");
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* q = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM jalin_outbox", -1, &q,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW) {
    n = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  if (n < 0) return absl::UnavailableError("cannot read the outbox");
  return n;
}

// Streams `batches` and checks every answer; returns when all are in.
absl::Status StreamImport(
    v1::RegistryService::Stub& stub, const std::string& token, int n,
    const std::function<v1::ImportRecordsRequest(int)>& make_batch,
    int batch_size) {
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, absl::Hours(1), token);
  auto stream = stub.ImportRecords(&ctx);
  std::thread writer([&] {
    for (int i = 0; i < n; i += batch_size) {
      if (!stream->Write(make_batch(i))) break;
    }
    stream->WritesDone();
  });
  int created = 0;
  v1::ImportRecordsResponse answer;
  while (stream->Read(&answer)) created += answer.created();
  writer.join();
  grpc::Status s = stream->Finish();
  if (!s.ok()) return absl::InternalError("import: " + s.error_message());
  if (created != n) {
    return absl::InternalError(
        absl::StrCat("import created ", created, " of ", n, " records"));
  }
  return absl::OkStatus();
}

// Imports into the running registry of `suite`.
absl::StatusOr<EndToEnd> RunEndToEnd(testing::Suite& suite, int n) {
  auth::Principal integrator;
  integrator.subject = "systems/bench";
  integrator.role = auth::Role::kIntegrator;
  integrator.regions = {"33"};
  integrator.source_system = "sida-bench";
  const std::string token = suite.Token(integrator);
  auto stub =
      v1::RegistryService::NewStub(rpc::MakeChannel(suite.address("registry")));
  redis::Client redis({.address = suite.redis().address()});

  // The clusters the enterprises refer to.
  absl::Status s = StreamImport(
      *stub, token, kClusters,
      [](int) {
        v1::ImportRecordsRequest b;
        for (int k = 0; k < kClusters; ++k) {
          v1::ImportRecord* r = b.add_records();
          r->set_external_id(absl::StrCat("cluster-", k));
          r->set_version(1);
          *r->mutable_cluster() = ClusterRecord(k);
        }
        return b;
      },
      kClusters);
  if (!s.ok()) return s;
  // Wait until the outbox is empty (taxonomy and clusters published).
  const std::string store = suite.dir().File("registry.db");
  for (absl::Time deadline = absl::Now() + absl::Seconds(60);;) {
    absl::StatusOr<int64_t> pending = OutboxPending(store);
    if (!pending.ok()) return pending.status();
    if (*pending == 0) break;
    if (absl::Now() > deadline) return absl::DeadlineExceededError("outbox");
    absl::SleepFor(absl::Milliseconds(20));
  }
  absl::StatusOr<int64_t> base = StreamLength(redis);
  if (!base.ok()) return base.status();

  const absl::Time start = absl::Now();
  s = StreamImport(
      *stub, token, n,
      [n](int from) { return Batch(from, std::min(n, from + kBatch)); },
      kBatch);
  if (!s.ok()) return s;
  const absl::Time acked = absl::Now();
  for (absl::Time deadline = acked + absl::Minutes(10);;) {
    absl::StatusOr<int64_t> len = StreamLength(redis);
    if (!len.ok()) return len.status();
    if (*len >= *base + n) break;
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("stream holds ", *len - *base, " of ", n, " events"));
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  const absl::Time published = absl::Now();
  EndToEnd out;
  out.ack_rate = n / absl::ToDoubleSeconds(acked - start);
  out.rate = n / absl::ToDoubleSeconds(published - start);
  out.peak_rss = PeakRssBytes(absl::StrCat(suite.process("registry").pid()));
  return out;
}

// A sqlite3 statement prepared once. Not thread-safe.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement& Text(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Blob(int i, const std::string& v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Int(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  bool Run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    return rc == SQLITE_DONE;
  }
  bool ok() const { return stmt_ != nullptr; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

bool Exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// Inserts the same rows as the import into a fresh file with the schema of
// `schema_store`; returns records per second.
absl::StatusOr<double> RunRaw(const std::string& schema_store,
                              const std::string& path, int n) {
  std::vector<std::string> schema;
  {
    sqlite3* src = nullptr;
    if (sqlite3_open_v2(schema_store.c_str(), &src, SQLITE_OPEN_READONLY,
                        nullptr) != SQLITE_OK) {
      sqlite3_close(src);
      return absl::InternalError("cannot open the registry store");
    }
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(src,
                       "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                       "AND tbl_name IN ('clusters', 'enterprises', "
                       "'enterprise_clusters', 'enterprise_categories', "
                       "'enterprise_certifications') ORDER BY rowid",
                       -1, &q, nullptr);
    while (sqlite3_step(q) == SQLITE_ROW) {
      schema.emplace_back(
          reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
    }
    sqlite3_finalize(q);
    sqlite3_close(src);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    return absl::InternalError("cannot create the baseline store");
  }
  // The registry's pragmas (common/storage/sqlite_database.cc).
  bool ok = Exec(db,
                 "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                 "PRAGMA cache_size=-32768; PRAGMA journal_mode=WAL; "
                 "PRAGMA synchronous=FULL;");
  for (const std::string& sql : schema) ok = ok && Exec(db, sql);
  // The clusters the enterprises belong to.
  ok = ok && Exec(db, "BEGIN");
  std::vector<std::string> cluster_ids;
  {
    Statement cluster(db,
                      "INSERT INTO clusters (id, region, province, sector, "
                      "sector_root, roles, verification, member_count, "
                      "parent, src_system, src_external_id, src_version, "
                      "data) VALUES (?, ?, '33', 'kerajinan', 'kerajinan', 4, "
                      "1, 100, NULL, 'sida-bench', ?, 1, ?)");
    for (int k = 0; k < kClusters && ok; ++k) {
      cluster_ids.push_back(NewUlid());
      ok = cluster.Text(1, cluster_ids.back())
               .Text(2, RegionOf(k))
               .Text(3, absl::StrCat("cluster-", k))
               .Blob(4, ClusterRecord(k).SerializeAsString())
               .Run();
    }
  }
  ok = ok && Exec(db, "COMMIT");
  if (!ok) {
    sqlite3_close(db);
    return absl::InternalError("baseline schema or clusters failed");
  }
  const absl::Time start = absl::Now();
  {
    Statement enterprise(
        db,
        "INSERT INTO enterprises (id, region, province, scale, nib, "
        "verification, src_system, src_external_id, src_version, data) "
        "VALUES (?, ?, '33', ?, ?, 1, 'sida-bench', ?, 1, ?)");
    Statement member(db,
                     "INSERT INTO enterprise_clusters (enterprise_id, "
                     "cluster_id) VALUES (?, ?)");
    Statement category(db,
                       "INSERT INTO enterprise_categories (enterprise_id, "
                       "category, root) VALUES (?, ?, ?)");
    Statement certification(db,
                            "INSERT INTO enterprise_certifications "
                            "(enterprise_id, kind, expire_day) VALUES (?, ?, "
                            "?)");
    ok = enterprise.ok() && member.ok() && category.ok() && certification.ok();
    for (int from = 0; from < n && ok; from += kBatch) {
      ok = Exec(db, "BEGIN IMMEDIATE");
      for (int i = from; i < std::min(n, from + kBatch) && ok; ++i) {
        // The record as the registry stores it.
        v1::Enterprise e = EnterpriseRecord(i);
        const std::string id = NewUlid();
        e.set_name("enterprises/" + id);
        e.set_clusters(0, "clusters/" + cluster_ids[i % kClusters]);
        e.set_verification_state(v1::UNVERIFIED);
        e.mutable_source()->set_system("sida-bench");
        e.mutable_source()->set_external_id(absl::StrCat("umkm-", i));
        e.mutable_source()->set_version(1);
        e.mutable_meta()->mutable_create_time()->set_seconds(1'750'000'000);
        e.mutable_meta()->mutable_update_time()->set_seconds(1'750'000'000);
        e.mutable_meta()->set_etag("1750000000000000");
        ok = enterprise.Text(1, id)
                 .Text(2, RegionOf(i))
                 .Int(3, e.scale())
                 .Text(4, e.nib())
                 .Text(5, e.source().external_id())
                 .Blob(6, e.SerializeAsString())
                 .Run() &&
             member.Text(1, id).Text(2, cluster_ids[i % kClusters]).Run() &&
             category.Text(1, id)
                 .Text(2, kCategories[i % 8])
                 .Text(3, kRoots[i % 8])
                 .Run() &&
             certification.Text(1, id)
                 .Int(2, jalin::type::v1::PIRT)
                 .Int(3, 21915 + i % 365)
                 .Run();
      }
      ok = ok && Exec(db, "COMMIT");
    }
  }
  const absl::Time end = absl::Now();
  const std::string error = sqlite3_errmsg(db);
  sqlite3_close(db);
  if (!ok) return absl::InternalError("baseline insert failed: " + error);
  return n / absl::ToDoubleSeconds(end - start);
}

}  // namespace

int RegistryImportScenario(const Args& args);

JALIN_BENCH_SCENARIO(registry_import_scenario, "registry-import",
                     "200,000 enterprises through ImportRecords (answered "
                     "after commit, events published) vs raw SQLite inserts "
                     "of the same rows",
                     RegistryImportScenario);

int RegistryImportScenario(const Args& args) {
  const int n = std::max(kBatch, static_cast<int>(200'000 * args.scale));
  Print("records", n, "records");
  testing::Suite suite(JALIN_BINARY_DIR);
  auto fail = [](absl::string_view what, const absl::Status& s) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(what.size()),
                 what.data(), std::string(s.message()).c_str());
    return 2;
  };
  // The registry creates its schema at start; the baseline copies it.
  if (absl::Status s = suite.Start({"registry"}); !s.ok()) {
    return fail("registry", s);
  }
  const std::string store = suite.dir().File("registry.db");
  // The baseline runs before and after the import (the registry idle, then
  // stopped) and counts their mean, so that a machine whose load drifts
  // during the run does not tilt the ratio.
  absl::StatusOr<double> raw_before =
      RunRaw(store, suite.dir().File("baseline-1.db"), n);
  if (!raw_before.ok()) return fail("raw", raw_before.status());
  absl::StatusOr<EndToEnd> e2e = RunEndToEnd(suite, n);
  if (!e2e.ok()) return fail("import", e2e.status());
  if (absl::StatusOr<int> stopped = suite.Stop("registry", absl::Seconds(10));
      !stopped.ok()) {
    return fail("stop", stopped.status());
  }
  absl::StatusOr<double> raw_after =
      RunRaw(store, suite.dir().File("baseline-2.db"), n);
  if (!raw_after.ok()) return fail("raw", raw_after.status());
  const double raw = (*raw_before + *raw_after) / 2;
  Print("raw_sqlite_insert_rate_before", *raw_before, "records/s");
  Print("raw_sqlite_insert_rate_after", *raw_after, "records/s");
  Print("raw_sqlite_insert_rate", raw, "records/s");
  Print("import_answered_rate", e2e->ack_rate, "records/s");
  Print("import_end_to_end_rate", e2e->rate, "records/s");
  Print("registry_peak_rss", static_cast<double>(e2e->peak_rss) / (1 << 20),
        "MiB");
  // Goal: everything the registry does per record (gRPC, validation,
  // upsert, events through the outbox to Redis) costs no more than the
  // bare inserts of the same rows.
  return PrintRatio(e2e->rate / raw, 0.5);
}

}  // namespace jalin::bench
