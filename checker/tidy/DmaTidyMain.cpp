// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dmacheck-tidy: clang-tidy itself, with the dma-* module linked in. For
// platforms whose clang-tidy cannot load plugins (the official Windows LLVM
// build exports no symbols); it accepts every clang-tidy option.
#include "clang-tidy/tool/ClangTidyMain.h"
#include "llvm/Support/FileSystem.h"

#include <string>
#include <vector>

int main(int argc, const char **argv) {
  // clang-tidy finds Clang's builtin headers next to its own binary; this
  // one is installed elsewhere, so name the directory it was built against
  // unless the command line already does.
  std::vector<const char *> Args(argv, argv + argc);
  std::string ResourceDir = DMACHECK_CLANG_RESOURCE_DIR;
  std::string Extra = "--extra-arg-before=-resource-dir=" + ResourceDir;
  bool Named = false;
  for (int I = 1; I < argc; ++I)
    if (std::string(argv[I]).find("-resource-dir") != std::string::npos)
      Named = true;
  if (!Named && !ResourceDir.empty() && llvm::sys::fs::is_directory(ResourceDir))
    Args.insert(Args.begin() + 1, Extra.c_str());
  return clang::tidy::clangTidyMain(int(Args.size()), Args.data());
}
