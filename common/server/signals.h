// Termination signals for servers: blocked in every thread and taken by one
// waiting thread, so that SIGTERM starts a graceful shutdown.

#ifndef COMMON_SERVER_SIGNALS_H_
#define COMMON_SERVER_SIGNALS_H_

namespace jalin {

// Blocks SIGTERM, SIGINT and SIGPIPE in the calling thread and every thread
// it starts afterwards. Call first thing in main().
void BlockTerminationSignals();

// Waits for SIGTERM or SIGINT (blocked beforehand); returns the signal.
int WaitForTerminationSignal();

}  // namespace jalin

#endif  // COMMON_SERVER_SIGNALS_H_
