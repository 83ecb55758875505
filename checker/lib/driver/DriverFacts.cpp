// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/DriverFacts.h"

// GCC 12 with -fsanitize=address,undefined warns inside llvm/Support/JSON.h
// (a moved-from json::Value "may be used uninitialized"); it is not.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace dmacheck;

void DriverFacts::merge(const DriverFacts &Other) {
  for (const auto &[Name, F] : Other.Routines) {
    auto [It, New] = Routines.try_emplace(Name, F);
    if (New)
      continue;
    RoutineFacts &Mine = It->second;
    if (F.Defined && Mine.Defined) {
      Mine.DmaEffects |= F.DmaEffects;
      Mine.WritesAll |= F.WritesAll;
      Mine.Writes.insert(F.Writes.begin(), F.Writes.end());
    } else if (F.Defined) {
      Mine.Defined = true;
      Mine.DmaEffects = F.DmaEffects;
      Mine.WritesAll = F.WritesAll;
      Mine.Writes = F.Writes;
    }
    Mine.Roles.insert(F.Roles.begin(), F.Roles.end());
  }
}

bool DriverFacts::operator==(const DriverFacts &O) const {
  if (Routines.size() != O.Routines.size())
    return false;
  for (const auto &[Name, F] : Routines) {
    auto It = O.Routines.find(Name);
    if (It == O.Routines.end())
      return false;
    const RoutineFacts &G = It->second;
    if (F.Defined != G.Defined || F.DmaEffects != G.DmaEffects ||
        F.WritesAll != G.WritesAll || F.Writes != G.Writes ||
        F.Roles != G.Roles)
      return false;
  }
  return true;
}

std::string DriverFacts::toJson() const {
  llvm::json::Object Root;
  Root["version"] = 1;
  llvm::json::Object Rs;
  for (const auto &[Name, F] : Routines) {
    llvm::json::Object R;
    R["defined"] = F.Defined;
    if (F.Defined) {
      R["dmaEffects"] = F.DmaEffects;
      if (F.WritesAll)
        R["writesAll"] = true;
      else
        R["writes"] = llvm::json::Array(
            std::vector<llvm::json::Value>(F.Writes.begin(), F.Writes.end()));
    }
    if (!F.Roles.empty())
      R["roles"] = llvm::json::Array(
          std::vector<llvm::json::Value>(F.Roles.begin(), F.Roles.end()));
    Rs[Name] = std::move(R);
  }
  Root["routines"] = std::move(Rs);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  // json::OStream, not formatv: the clang-tidy module links this file, and
  // must load (to refuse politely) in a clang-tidy of another LLVM version.
  llvm::json::OStream J(OS, 2);
  J.value(llvm::json::Value(std::move(Root)));
  OS << "\n";
  return OS.str();
}

bool DriverFacts::fromJson(llvm::StringRef Text, std::string &Error) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V) {
    Error = llvm::toString(V.takeError());
    return false;
  }
  const llvm::json::Object *Root = V->getAsObject();
  const llvm::json::Object *Rs = Root ? Root->getObject("routines") : nullptr;
  auto Version = Root ? Root->getInteger("version") : decltype(Root->getInteger("version"))();
  if (!Root || !Version || *Version != 1 || !Rs) {
    Error = "not a dmacheck facts file (version 1)";
    return false;
  }
  // Read whole, then merged: a file with an error adds nothing.
  DriverFacts Read;
  for (const auto &[Name, Value] : *Rs) {
    const llvm::json::Object *R = Value.getAsObject();
    if (!R) {
      Error = "routine '" + Name.str() + "' is not an object";
      return false;
    }
    RoutineFacts F;
    auto Flag = [&](llvm::StringRef Key, bool Default) {
      auto B = R->getBoolean(Key);
      return B ? *B : Default;
    };
    F.Defined = Flag("defined", false);
    F.DmaEffects = Flag("dmaEffects", true);
    F.WritesAll = Flag("writesAll", false);
    auto Strings = [&](llvm::StringRef Key, std::set<std::string> &Into) {
      if (const llvm::json::Array *A = R->getArray(Key))
        for (const llvm::json::Value &E : *A)
          if (auto S = E.getAsString())
            Into.insert(S->str());
    };
    if (F.Defined && !R->getArray("writes"))
      F.WritesAll = true;
    Strings("writes", F.Writes);
    Strings("roles", F.Roles);
    Read.Routines[Name.str()] = std::move(F);
  }
  merge(Read);
  return true;
}

bool DriverFacts::readFile(llvm::StringRef Path, std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Error = Path.str() + ": " + Buffer.getError().message();
    return false;
  }
  if (!fromJson((*Buffer)->getBuffer(), Error)) {
    Error = Path.str() + ": " + Error;
    return false;
  }
  return true;
}
