// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The DMA API model: which calls are map / flush / release / complete events and
// the role of each argument. Loaded from rules/dma-api.yaml (compiled in) plus
// any --rules files.
#ifndef DMACHECK_APIMODEL_H
#define DMACHECK_APIMODEL_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace dmacheck {

enum class EventKind {
  Map,
  Flush,
  FreeMapRegisters,
  FreeAdapterChannel,
  PutAdapter,
  CompleteRequest,
  AllocateChannel,
  GetScatterGather,
  PutScatterGather,
  CancelTransfer,
};

llvm::StringRef eventKindName(EventKind K);

/// Whether the event releases what a mapped transfer depends on (so an
/// unflushed transfer reaching it is dma-missing-flush).
inline bool isReleaseOrComplete(EventKind K) {
  return K == EventKind::FreeMapRegisters ||
         K == EventKind::FreeAdapterChannel || K == EventKind::PutAdapter ||
         K == EventKind::CompleteRequest;
}

/// The argument roles of an event; -1 where the call has no such argument.
struct ArgumentRoles {
  int Adapter = -1;
  int Mdl = -1;
  int MapRegisterBase = -1;
  int CurrentVa = -1;
  /// For a map: a pointer to the in/out length. For a flush: the length.
  int Length = -1;
  int WriteToDevice = -1;
  int Irp = -1;
  /// For a channel allocation: the execution routine (AdapterControl) the
  /// system calls once the channel and map registers are granted.
  int Routine = -1;

  int maxIndex() const;
};

struct EventRule {
  EventKind Kind = EventKind::Map;
  std::vector<std::string> Functions;
  std::vector<std::string> Operations;
  std::vector<std::string> Types;
  ArgumentRoles Arguments;
  /// Where this rule came from ("<builtin>" or a --rules path), for messages.
  std::string Origin;
};

class ApiModel {
public:
  /// The model compiled into the binary (rules/dma-api.yaml).
  static ApiModel builtin();

  /// Adds the rules in a YAML document. On error returns false and sets Error
  /// to a "file:line:col: message" diagnostic.
  bool addRulesFromBuffer(llvm::StringRef Text, llvm::StringRef BufferName,
                          std::string &Error);
  bool addRulesFromFile(llvm::StringRef Path, std::string &Error);

  const EventRule *byFunction(llvm::StringRef Name) const {
    return lookup(FunctionIndex, Name);
  }
  const EventRule *byOperation(llvm::StringRef Name) const {
    return lookup(OperationIndex, Name);
  }
  const EventRule *byType(llvm::StringRef Name) const {
    return lookup(TypeIndex, Name);
  }
  const std::vector<EventRule> &rules() const { return Rules; }

private:
  const EventRule *lookup(const llvm::StringMap<size_t> &Index,
                          llvm::StringRef Name) const;
  void reindex();

  std::vector<EventRule> Rules;
  llvm::StringMap<size_t> FunctionIndex, OperationIndex, TypeIndex;
};

} // namespace dmacheck

#endif
