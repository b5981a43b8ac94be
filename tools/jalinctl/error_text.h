// How jalinctl words an error a service returned: the code and message,
// then every field violation of its BadRequest.

#ifndef TOOLS_JALINCTL_ERROR_TEXT_H_
#define TOOLS_JALINCTL_ERROR_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace jalin::ctl {

// "INVALID_ARGUMENT: invalid enterprise", then "nib: must be 13 digits"
// for each violation (in the order the service gave them).
std::vector<std::string> ErrorLines(const absl::Status& status);

// The same on one line (for a cell of the rejected-rows file): the code
// and message, then in parentheses the violations the message does not
// already state, separated by "; ".
std::string OneLineError(const absl::Status& status);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_ERROR_TEXT_H_
