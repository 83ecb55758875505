// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/ApiModel.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

// Generated from rules/dma-api.yaml: `static const char BuiltinRules[]`.
#include "BuiltinRules.inc"

using namespace dmacheck;

namespace {
/// The document shape of a rules file.
struct RulesDocument {
  std::vector<EventRule> Events;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(EventRule)

namespace llvm {
namespace yaml {
template <> struct ScalarEnumerationTraits<EventKind> {
  static void enumeration(IO &Io, EventKind &K) {
    Io.enumCase(K, "map", EventKind::Map);
    Io.enumCase(K, "flush", EventKind::Flush);
    Io.enumCase(K, "free-map-registers", EventKind::FreeMapRegisters);
    Io.enumCase(K, "free-adapter-channel", EventKind::FreeAdapterChannel);
    Io.enumCase(K, "put-adapter", EventKind::PutAdapter);
    Io.enumCase(K, "complete-request", EventKind::CompleteRequest);
    Io.enumCase(K, "allocate-channel", EventKind::AllocateChannel);
    Io.enumCase(K, "get-scatter-gather", EventKind::GetScatterGather);
    Io.enumCase(K, "put-scatter-gather", EventKind::PutScatterGather);
    Io.enumCase(K, "cancel-transfer", EventKind::CancelTransfer);
  }
};

template <> struct MappingTraits<ArgumentRoles> {
  static void mapping(IO &Io, ArgumentRoles &R) {
    Io.mapOptional("adapter", R.Adapter, -1);
    Io.mapOptional("mdl", R.Mdl, -1);
    Io.mapOptional("map-register-base", R.MapRegisterBase, -1);
    Io.mapOptional("current-va", R.CurrentVa, -1);
    Io.mapOptional("length", R.Length, -1);
    Io.mapOptional("write-to-device", R.WriteToDevice, -1);
    Io.mapOptional("irp", R.Irp, -1);
    Io.mapOptional("routine", R.Routine, -1);
  }
  static std::string validate(IO &, ArgumentRoles &R) {
    for (int I : {R.Adapter, R.Mdl, R.MapRegisterBase, R.CurrentVa, R.Length,
                  R.WriteToDevice, R.Irp})
      if (I < -1 || I > 64)
        return "argument index out of range (0 to 64)";
    return "";
  }
};

template <> struct MappingTraits<EventRule> {
  static void mapping(IO &Io, EventRule &R) {
    Io.mapRequired("kind", R.Kind);
    Io.mapOptional("functions", R.Functions);
    Io.mapOptional("operations", R.Operations);
    Io.mapOptional("types", R.Types);
    Io.mapOptional("arguments", R.Arguments);
  }
  static std::string validate(IO &, EventRule &R) {
    if (R.Functions.empty() && R.Operations.empty() && R.Types.empty())
      return "an event needs at least one of 'functions', 'operations', "
             "'types'";
    return "";
  }
};

template <> struct MappingTraits<RulesDocument> {
  static void mapping(IO &Io, RulesDocument &D) {
    Io.mapRequired("events", D.Events);
  }
};
} // namespace yaml
} // namespace llvm

llvm::StringRef dmacheck::eventKindName(EventKind K) {
  switch (K) {
  case EventKind::Map:
    return "map";
  case EventKind::Flush:
    return "flush";
  case EventKind::FreeMapRegisters:
    return "free-map-registers";
  case EventKind::FreeAdapterChannel:
    return "free-adapter-channel";
  case EventKind::PutAdapter:
    return "put-adapter";
  case EventKind::CompleteRequest:
    return "complete-request";
  case EventKind::AllocateChannel:
    return "allocate-channel";
  case EventKind::GetScatterGather:
    return "get-scatter-gather";
  case EventKind::PutScatterGather:
    return "put-scatter-gather";
  case EventKind::CancelTransfer:
    return "cancel-transfer";
  }
  return "unknown";
}

int ArgumentRoles::maxIndex() const {
  return std::max({Adapter, Mdl, MapRegisterBase, CurrentVa, Length,
                   WriteToDevice, Irp, Routine});
}

ApiModel ApiModel::builtin() {
  ApiModel M;
  std::string Error;
  bool Ok = M.addRulesFromBuffer(BuiltinRules, "<builtin rules>", Error);
  // The builtin file is validated by the build's tests; a failure here is a
  // packaging bug, not a user error.
  if (!Ok)
    llvm::report_fatal_error(llvm::Twine("dmacheck: builtin rules: ") + Error);
  return M;
}

bool ApiModel::addRulesFromBuffer(llvm::StringRef Text,
                                  llvm::StringRef BufferName,
                                  std::string &Error) {
  std::string Diagnostics;
  llvm::raw_string_ostream DiagOS(Diagnostics);
  RulesDocument Doc;
  {
    llvm::yaml::Input In(llvm::MemoryBufferRef(Text, BufferName), nullptr,
                         [](const llvm::SMDiagnostic &D, void *Ctx) {
                           D.print(nullptr, *static_cast<llvm::raw_ostream *>(
                                                Ctx),
                                   /*ShowColors=*/false);
                         },
                         &DiagOS);
    In >> Doc;
    if (In.error()) {
      DiagOS.flush();
      Error = llvm::StringRef(Diagnostics).trim().str();
      if (Error.empty())
        Error = BufferName.str() + ": malformed rules file";
      return false;
    }
  }
  for (EventRule &R : Doc.Events) {
    R.Origin = BufferName.str();
    Rules.push_back(std::move(R));
  }
  reindex();
  return true;
}

bool ApiModel::addRulesFromFile(llvm::StringRef Path, std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer) {
    Error = Path.str() + ": cannot read rules file: " +
            Buffer.getError().message();
    return false;
  }
  return addRulesFromBuffer((*Buffer)->getBuffer(), Path, Error);
}

void ApiModel::reindex() {
  FunctionIndex.clear();
  OperationIndex.clear();
  TypeIndex.clear();
  // Later rules win, so a user file can redefine a builtin name.
  for (size_t I = 0; I < Rules.size(); ++I) {
    for (const std::string &N : Rules[I].Functions)
      FunctionIndex[N] = I;
    for (const std::string &N : Rules[I].Operations)
      OperationIndex[N] = I;
    for (const std::string &N : Rules[I].Types)
      TypeIndex[N] = I;
  }
}

const EventRule *ApiModel::lookup(const llvm::StringMap<size_t> &Index,
                                  llvm::StringRef Name) const {
  auto It = Index.find(Name);
  return It == Index.end() ? nullptr : &Rules[It->second];
}
