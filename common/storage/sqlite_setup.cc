#include "common/storage/sqlite_setup.h"

#include <sqlite3.h>

#include "common/log/log.h"
#include "common/storage/page_cache.h"

namespace jalin::storage {
namespace {

bool ConfigureOnce() {
  // Refused (SQLITE_MISUSE) once SQLite has initialised, like the cache.
  if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
    log::Warn(
        "SQLite had started before the stores opened: it keeps counting "
        "its allocations under a global mutex");
  }
  InstallPageCache();
  return true;
}

}  // namespace

void ConfigureSqlite() {
  static const bool configured = ConfigureOnce();
  (void)configured;
}

}  // namespace jalin::storage
