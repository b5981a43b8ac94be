// Early-return helpers for absl::Status and absl::StatusOr. Debian bookworm's
// Abseil (20220623) ships no status macros, so jalin defines the two it uses.

#ifndef COMMON_STATUS_STATUS_MACROS_H_
#define COMMON_STATUS_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define JALIN_STATUS_CONCAT_INNER_(a, b) a##b
#define JALIN_STATUS_CONCAT_(a, b) JALIN_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function if it is not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::absl::Status jalin_status_ = (expr);         \
    if (!jalin_status_.ok()) return jalin_status_; \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>); on
// error returns its status, otherwise moves the value into `lhs`, which may
// be a declaration ("auto x", "std::string s") or an existing variable.
#define ASSIGN_OR_RETURN(lhs, expr) \
  JALIN_ASSIGN_OR_RETURN_IMPL_(     \
      JALIN_STATUS_CONCAT_(jalin_statusor_, __LINE__), lhs, expr)

#define JALIN_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)  \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // COMMON_STATUS_STATUS_MACROS_H_
