// jalin-test-event-consumer: an EventConsumer in its own process, so that a
// test can kill -9 it. Applies each event by appending (event id, sequence)
// to the table "applied" of its SQLite store; runs until SIGTERM.

#include <iostream>

#include "common/config/config.h"
#include "common/events/event_consumer.h"
#include "common/log/log.h"
#include "common/server/signals.h"
#include "common/storage/sqlite_database.h"

int main(int argc, char** argv) {
  jalin::BlockTerminationSignals();
  std::string redis = "127.0.0.1:6379";
  std::string store;
  std::string stream;
  std::string group = "test";
  std::string consumer = "test-1";
  jalin::Config config("jalin-test-event-consumer", "consumes one stream");
  config.AddString("redis", &redis, "Redis address");
  config.AddString("store", &store, "SQLite file");
  config.AddString("stream", &stream, "stream to consume");
  config.AddString("group", &group, "consumer group");
  config.AddString("consumer", &consumer, "consumer name");
  config.ParseOrExit(argc, argv);
  jalin::log::Init("test-consumer", "warn").IgnoreError();

  auto db = jalin::storage::SqliteDatabase::Open({.path = store});
  if (!db.ok()) {
    std::cerr << db.status() << "\n";
    return 1;
  }
  static constexpr jalin::storage::Migration kSchema[] = {
      {1, "applied",
       "CREATE TABLE applied (n INTEGER PRIMARY KEY AUTOINCREMENT, "
       "event_id TEXT NOT NULL, seq INTEGER NOT NULL);"},
  };
  absl::Status s = (*db)->Migrate("test", kSchema);
  if (s.ok()) s = jalin::events::EventConsumer::Migrate(**db);
  if (!s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  jalin::redis::Client client({.address = redis});
  jalin::events::EventConsumer c(
      &client, db->get(),
      {.stream = stream,
       .group = group,
       .consumer = consumer,
       .batch_size = 50},
      [](const jalin::events::v1::Event& e, jalin::storage::Transaction* tx) {
        return tx->Exec("INSERT INTO applied (event_id, seq) VALUES (?, ?)",
                        {jalin::storage::Param(e.id()),
                         jalin::storage::Param(e.sequence())});
      });
  c.Start();
  jalin::WaitForTerminationSignal();
  c.Stop();
  return 0;
}
