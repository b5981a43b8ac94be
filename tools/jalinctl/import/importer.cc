#include "tools/jalinctl/import/importer.h"

#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/rpc/client.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "tools/jalinctl/error_text.h"

namespace jalin::ctl {
namespace {

using registry::v1::ImportRecordResult;
using registry::v1::ImportRecordsRequest;
using registry::v1::ImportRecordsResponse;

// A batch sent and not yet answered: its rows, for the rejected-rows file.
struct Batch {
  std::string id;
  std::vector<Row> rows;
};

// Drives one stream. Not thread-safe; lives for one Run.
class Session {
 public:
  Session(RecordType type, const ImportOptions& options,
          grpc::ClientReaderWriterInterface<ImportRecordsRequest,
                                            ImportRecordsResponse>* stream,
          RejectedRows* rejected, ImportCounts* counts)
      : type_(type),
        options_(options),
        stream_(stream),
        rejected_(rejected),
        counts_(counts) {}

  // Takes one row read from the file. Returns false when the stream broke
  // (the status comes from Finish) or the answers made no sense (error()).
  bool Add(Row row) {
    ++counts_->rows;
    if (!row.error.empty()) return Reject(row, row.error);
    absl::StatusOr<registry::v1::ImportRecord> record =
        ToImportRecord(type_, row.cells);
    if (!record.ok()) return Reject(row, OneLineError(record.status()));
    if (stream_ == nullptr) return true;  // dry run
    *request_.add_records() = *std::move(record);
    row.cells.clear();
    current_.rows.push_back(std::move(row));
    if (request_.records_size() >= options_.batch_size) return Send();
    return true;
  }

  // Sends the last batch and reads every answer. False as for Add.
  bool Drain() {
    if (stream_ == nullptr) return true;
    if (!Send()) return false;
    stream_->WritesDone();
    while (!pending_.empty()) {
      if (!ReadOne()) return false;
    }
    return true;
  }

  // Rows sent or read but not answered.
  int64_t Unanswered() const {
    int64_t n = static_cast<int64_t>(current_.rows.size());
    for (const Batch& b : pending_) n += static_cast<int64_t>(b.rows.size());
    return n;
  }
  const absl::Status& error() const { return error_; }

 private:
  bool Reject(const Row& row, absl::string_view reason) {
    ++counts_->rejected;
    absl::Status s = rejected_->Add(row, reason);
    if (!s.ok()) {
      error_ = s;
      return false;
    }
    return true;
  }

  bool Send() {
    if (request_.records_size() == 0) return true;
    current_.id = absl::StrCat("b", ++batches_);
    request_.set_batch_id(current_.id);
    if (!stream_->Write(request_)) return false;
    request_.Clear();
    pending_.push_back(std::move(current_));
    current_ = Batch();
    while (static_cast<int>(pending_.size()) >= options_.window) {
      if (!ReadOne()) return false;
    }
    return true;
  }

  bool ReadOne() {
    ImportRecordsResponse response;
    if (!stream_->Read(&response)) return false;
    auto it = pending_.begin();
    while (it != pending_.end() && it->id != response.batch_id()) ++it;
    if (it == pending_.end()) {
      error_ = absl::InternalError(
          absl::StrCat("the registry answered batch \"", response.batch_id(),
                       "\", which was not sent or was answered before"));
      return false;
    }
    Batch batch = std::move(*it);
    pending_.erase(it);
    std::vector<bool> answered(batch.rows.size(), false);
    for (const ImportRecordResult& result : response.results()) {
      const int i = result.index();
      if (i < 0 || static_cast<size_t>(i) >= batch.rows.size() || answered[i]) {
        error_ = absl::InternalError(
            absl::StrCat("the registry's answer to batch ", batch.id,
                         " names record ", i, " of ", batch.rows.size()));
        return false;
      }
      answered[i] = true;
      switch (result.outcome()) {
        case ImportRecordResult::CREATED:
          ++counts_->created;
          break;
        case ImportRecordResult::UPDATED:
          ++counts_->updated;
          break;
        case ImportRecordResult::UNCHANGED:
          ++counts_->unchanged;
          break;
        default: {
          absl::Status why = FromRpcStatus(result.error());
          if (why.ok()) why = absl::UnknownError("rejected without a reason");
          if (!Reject(batch.rows[i], OneLineError(why))) return false;
        }
      }
    }
    for (size_t i = 0; i < answered.size(); ++i) {
      if (!answered[i]) {
        // Put the batch back so that its rows count as unanswered.
        pending_.push_front(std::move(batch));
        error_ = absl::InternalError(
            absl::StrCat("the registry's answer to batch ", pending_.front().id,
                         " lacks record ", i));
        return false;
      }
    }
    return true;
  }

  const RecordType type_;
  const ImportOptions& options_;
  grpc::ClientReaderWriterInterface<ImportRecordsRequest,
                                    ImportRecordsResponse>* const stream_;
  RejectedRows* const rejected_;
  ImportCounts* const counts_;
  ImportRecordsRequest request_;
  Batch current_;
  std::deque<Batch> pending_;
  int64_t batches_ = 0;
  absl::Status error_;
};

}  // namespace

Importer::Importer(registry::v1::RegistryService::StubInterface* stub,
                   ImportOptions options)
    : options_(std::move(options)), stub_(stub) {}

absl::Status Importer::Run(RecordType type, RowSource* source,
                           RejectedRows* rejected, Progress* progress,
                           ImportCounts* counts) {
  grpc::ClientContext ctx;
  std::unique_ptr<grpc::ClientReaderWriterInterface<ImportRecordsRequest,
                                                    ImportRecordsResponse>>
      stream;
  if (!options_.dry_run) {
    rpc::PrepareContext(&ctx, options_.timeout, options_.token);
    stream = stub_->ImportRecords(&ctx);
  }
  Session session(type, options_, stream.get(), rejected, counts);
  absl::Status read_error;
  bool ok = true;
  while (ok) {
    Row row;
    absl::StatusOr<bool> more = source->Next(&row);
    if (!more.ok()) {
      read_error = more.status();
      break;
    }
    if (!*more) break;
    ok = session.Add(std::move(row));
    if (progress != nullptr)
      progress->Update(source->bytes_read(), counts->rows);
  }
  if (ok && read_error.ok()) ok = session.Drain();
  // Stopped for a reason of our own (an answer that makes no sense, the
  // rejected-rows file, the input) rather than a broken stream.
  const bool own_stop = !session.error().ok() || !read_error.ok();
  absl::Status status;
  if (stream != nullptr) {
    if (own_stop) ctx.TryCancel();
    absl::Status finished = FromGrpcStatus(stream->Finish());
    if (!own_stop) status = finished;
  }
  if (status.ok()) status = session.error();
  if (status.ok()) status = read_error;
  if (status.ok() && !ok) {
    status = absl::InternalError(
        "the registry ended the import before answering every batch");
  }
  counts->unanswered = session.Unanswered();
  if (progress != nullptr) progress->Finish(source->bytes_read(), counts->rows);
  return status;
}

}  // namespace jalin::ctl
