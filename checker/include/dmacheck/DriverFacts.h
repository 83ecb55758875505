// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What one file of a driver tells the analysis of the others: for each routine
// it defines, whether the routine has DMA effects and which device-extension
// fields it may write, and which routines it registers in which role. Merged
// over a compile database (or read from a file written by
// `dmacheck --export-facts`), these let a routine defined in dma.c be a known
// quantity when polled.c calls it, and a DPC registered in driver.c be a DPC
// in dma.c.
#ifndef DMACHECK_DRIVERFACTS_H
#define DMACHECK_DRIVERFACTS_H

#include "llvm/ADT/StringRef.h"

#include <map>
#include <set>
#include <string>

namespace dmacheck {

struct RoutineFacts {
  bool Defined = false;    // the file defines it (effects and writes are known)
  bool DmaEffects = false; // maps, flushes, releases or completes an IRP
  bool WritesAll = false;  // may write any field of what its arguments point to
  std::set<std::string> Writes; // "record.field" it may write
  std::set<std::string> Roles;  // "adapter-control", "dpc", ...
};

struct DriverFacts {
  std::map<std::string, RoutineFacts> Routines;

  bool empty() const { return Routines.empty(); }
  /// Adds what Other knows. A routine defined in two files (two static
  /// functions of one name) is merged conservatively.
  void merge(const DriverFacts &Other);
  bool operator==(const DriverFacts &O) const;

  std::string toJson() const;
  /// Reads what toJson wrote; on error returns false and says why.
  bool fromJson(llvm::StringRef Text, std::string &Error);
  bool readFile(llvm::StringRef Path, std::string &Error);
};

} // namespace dmacheck

#endif
