// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Visual Studio solutions (.sln) as dmacheck's input: the C/C++ projects a
// solution lists, each read for the configuration the solution's
// configuration maps it to (Sln.cpp); and --vcxproj's choice between a
// solution and a project.
#ifndef DMACHECK_CLI_SLN_H
#define DMACHECK_CLI_SLN_H

#include "Vcxproj.h"

#include "llvm/ADT/StringRef.h"

namespace dmacheck {
namespace cli {

/// Reads the .sln at Path: every .vcxproj it lists and builds in Settings'
/// solution Configuration|Platform, each for the project configuration the
/// solution maps that one to (ProjectConfigurationPlatforms; the same names
/// when it maps none). Appends to Out.
void readSolution(llvm::StringRef Path, const MsBuildSettings &Settings,
                  ProjectInput &Out);

/// --vcxproj=FILE: a solution (.sln) or a project.
void readMsBuildInput(llvm::StringRef Path, const MsBuildSettings &Settings,
                      ProjectInput &Out);

} // namespace cli
} // namespace dmacheck

#endif
