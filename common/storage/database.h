// The store interface every service uses: transactions of SQL statements
// with positional "?" parameters. SQLite implements it (sqlite_database.h);
// a PostgreSQL implementation can fulfil the same contract (it rewrites "?"
// to "$n"). Services keep to SQL both dialects accept: INSERT ... ON
// CONFLICT, RETURNING, no SQLite-only functions in service code.

#ifndef COMMON_STORAGE_DATABASE_H_
#define COMMON_STORAGE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace jalin::storage {

// A statement parameter. Text and blob views must stay live for the call.
class Param {
 public:
  enum class Type { kNull, kInt, kDouble, kText, kBlob };

  Param() : type_(Type::kNull) {}
  Param(std::nullptr_t) : type_(Type::kNull) {}
  Param(int v) : type_(Type::kInt), int_(v) {}
  Param(int64_t v) : type_(Type::kInt), int_(v) {}
  Param(uint64_t v) : type_(Type::kInt), int_(static_cast<int64_t>(v)) {}
  Param(bool v) : type_(Type::kInt), int_(v ? 1 : 0) {}
  Param(double v) : type_(Type::kDouble), double_(v) {}
  Param(absl::string_view v) : type_(Type::kText), text_(v) {}
  Param(const std::string& v) : type_(Type::kText), text_(v) {}
  Param(const char* v) : type_(Type::kText), text_(v) {}

  // Binary data (serialised protobufs).
  static Param Blob(absl::string_view bytes) {
    Param p(bytes);
    p.type_ = Type::kBlob;
    return p;
  }

  Type type() const { return type_; }
  int64_t int_value() const { return int_; }
  double double_value() const { return double_; }
  absl::string_view text_value() const { return text_; }

 private:
  Type type_;
  int64_t int_ = 0;
  double double_ = 0;
  absl::string_view text_;
};

// A result row; valid only inside the callback that receives it.
class Row {
 public:
  virtual ~Row() = default;
  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  // Text and blob bytes; the view dies with the row.
  virtual absl::string_view Text(int column) const = 0;
  virtual absl::string_view Blob(int column) const = 0;
};

using RowCallback = absl::FunctionRef<absl::Status(const Row&)>;

// A transaction in progress. Not thread-safe; used only inside the
// Database::Read/Write callback that received it.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual absl::Status Exec(absl::string_view sql,
                            absl::Span<const Param> params = {}) = 0;
  // Calls `on_row` for each result row; a non-OK return stops the query and
  // is returned.
  virtual absl::Status Query(absl::string_view sql,
                             absl::Span<const Param> params,
                             RowCallback on_row) = 0;
  // Rows changed by the last Exec.
  virtual int64_t ChangedRows() const = 0;
  // Runs `fn` after the transaction commits (not on rollback), outside any
  // lock, on the committing thread.
  virtual void OnCommit(std::function<void()> fn) = 0;
};

struct Migration {
  // 1, 2, 3, ...: applied in order, each once.
  int version;
  absl::string_view description;
  // One or more statements.
  absl::string_view sql;
};

// Thread-safe. Writes are serialised; reads run concurrently with each other
// and with a write, each on a consistent snapshot.
class Database {
 public:
  virtual ~Database() = default;

  // Runs `fn` in a write transaction; commits if it returns OK (and the
  // commit succeeds), rolls back otherwise. A write is durable when Write
  // returns OK. Must not be nested.
  virtual absl::Status Write(
      absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;
  // Runs `fn` in a read-only transaction on a consistent snapshot.
  virtual absl::Status Read(
      absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;
  // Applies the `component`'s migrations not yet applied, each in its own
  // transaction. FAILED_PRECONDITION if the store has a version this binary
  // does not know (a downgrade).
  virtual absl::Status Migrate(absl::string_view component,
                               absl::Span<const Migration> migrations) = 0;
  // Checks that the store answers; for readiness.
  virtual absl::Status Ping() = 0;
};

// Reads one integer (first column of the first row), or `fallback` if the
// query returns no row or NULL.
absl::StatusOr<int64_t> QueryInt(Transaction& tx, absl::string_view sql,
                                 absl::Span<const Param> params,
                                 int64_t fallback = 0);

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_DATABASE_H_
