# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# `cmake --install` and `cpack`: what is installed where, and the Debian
# packages (one pair per LLVM version) built from it. docs/packaging.md
# describes the result.
#
#   component dmacheck  bin/dmacheck, share/man/man1/dmacheck.1.gz,
#                       share/doc/dmacheck/ (README, LICENSE, docs/, examples/,
#                       rules/dma-api.yaml: the model compiled into the tools,
#                       a reference for --rules files)
#   component tidy      bin/dmacheck-tidy, and the clang-tidy plugin in the
#                       LLVM version's library directory
#                       (lib/llvm-N/lib/libdmacheck-tidy-plugin.so), beside
#                       Debian's clang-tidy-N
#
# Nothing is read from the installation at run time: the API model is
# compiled in, and the Clang resource directory (builtin headers) is the
# LLVM installation's, fixed at build time (DMACHECK_CLANG_RESOURCE_DIR).
include(GNUInstallDirs)

set(DMACHECK_INSTALL_PLUGIN_DIR "lib/llvm-${LLVM_VERSION_MAJOR}/lib" CACHE STRING
  "Where the clang-tidy plugin is installed, relative to the prefix (Debian's clang-tidy-N lives in lib/llvm-N)")
set(DMACHECK_HOMEPAGE "https://github.com/dmacheck/dmacheck" CACHE STRING
  "The project's home page, for the packages")

install(TARGETS dmacheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  COMPONENT dmacheck)
if(TARGET dmacheck-tidy)
  install(TARGETS dmacheck-tidy RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    COMPONENT tidy)
endif()
if(TARGET dmacheck-tidy-plugin)
  # A loadable module, not a program: not executable.
  install(TARGETS dmacheck-tidy-plugin
    LIBRARY DESTINATION ${DMACHECK_INSTALL_PLUGIN_DIR}
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
    COMPONENT tidy)
endif()

# dmacheck(1), compressed as Debian installs manual pages.
find_program(DMACHECK_GZIP gzip)
set(DMACHECK_MAN_PAGE ${PROJECT_SOURCE_DIR}/docs/dmacheck.1)
if(DMACHECK_GZIP)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/dmacheck.1.gz
    COMMAND sh -c "'${DMACHECK_GZIP}' -9nc '${DMACHECK_MAN_PAGE}' > '${PROJECT_BINARY_DIR}/dmacheck.1.gz'"
    DEPENDS ${DMACHECK_MAN_PAGE}
    COMMENT "Compressing dmacheck(1)" VERBATIM)
  add_custom_target(dmacheck-man ALL DEPENDS ${PROJECT_BINARY_DIR}/dmacheck.1.gz)
  install(FILES ${PROJECT_BINARY_DIR}/dmacheck.1.gz
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT dmacheck)
else()
  install(FILES ${DMACHECK_MAN_PAGE}
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT dmacheck)
endif()

# The documentation keeps the repository's layout, so that its links work.
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR}
  COMPONENT dmacheck)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  COMPONENT dmacheck FILES_MATCHING PATTERN "*.md" PATTERN "*.png")
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
  COMPONENT dmacheck USE_SOURCE_PERMISSIONS)
install(FILES rules/dma-api.yaml DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules
  COMPONENT dmacheck)

# Debian packages (the first line of each description is its summary):
# dmacheck-llvmN (the CLI) and dmacheck-tidy-llvmN (the
# clang-tidy side), N the LLVM major version. The two versions' packages
# have different names, but install the same /usr/bin/dmacheck: they provide,
# conflict with and replace the virtual packages dmacheck and dmacheck-tidy,
# so that installing one version's package removes the other's.
set(V ${LLVM_VERSION_MAJOR})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dmacheck-llvm${V})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "dmacheck")
set(CPACK_PACKAGE_CONTACT "dmacheck maintainers <dmacheck@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL dmacheck)
if(TARGET dmacheck-tidy OR TARGET dmacheck-tidy-plugin)
  list(APPEND CPACK_COMPONENTS_ALL tidy)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${DMACHECK_HOMEPAGE})
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

# The shared libraries the binaries link (libLLVM, libclang-cpp, libstdc++,
# libc) come from dpkg-shlibdeps (package dpkg-dev), which reads them from
# the binaries themselves; without it, the same list is declared by hand.
# Beside them: the Clang resource directory's builtin headers
# (libclang-common-N-dev), which every parse needs, and clang-tidy-N, which
# loads the plugin.
find_program(DMACHECK_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DMACHECK_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(dmacheck_libs "")
else()
  set(dmacheck_libs "libllvm${V}, libclang-cpp${V}, libstdc++6, libgcc-s1, libc6, ")
endif()
set(dmacheck_resource_dir_package "libclang-common-${V}-dev")

set(CPACK_COMPONENT_DMACHECK_DISPLAY_NAME "dmacheck")
set(CPACK_DEBIAN_DMACHECK_PACKAGE_NAME dmacheck-llvm${V})
set(CPACK_DEBIAN_DMACHECK_PACKAGE_DEPENDS "${dmacheck_libs}${dmacheck_resource_dir_package}")
set(CPACK_DEBIAN_DMACHECK_PACKAGE_RECOMMENDS "mingw-w64-x86-64-dev")
set(CPACK_DEBIAN_DMACHECK_PACKAGE_PROVIDES "dmacheck")
set(CPACK_DEBIAN_DMACHECK_PACKAGE_CONFLICTS "dmacheck")
set(CPACK_DEBIAN_DMACHECK_PACKAGE_REPLACES "dmacheck")
set(CPACK_DEBIAN_DMACHECK_DESCRIPTION
  "static checker for DMA flush-ordering bugs in Windows drivers (LLVM ${V})
dmacheck finds packet-based DMA transfers that are not flushed with
FlushAdapterBuffers before their IRP is completed or their map registers
are freed, flushes that come too late, and flushes whose CurrentVa, Length,
Mdl, MapRegisterBase, adapter or direction differ from the map. It reports
what it can prove on a feasible path, as text, SARIF or JSON.
This package is built against LLVM ${V}.")

set(CPACK_COMPONENT_TIDY_DISPLAY_NAME "dmacheck-tidy")
set(CPACK_COMPONENT_TIDY_DEPENDS dmacheck)
set(CPACK_DEBIAN_TIDY_PACKAGE_NAME dmacheck-tidy-llvm${V})
set(CPACK_DEBIAN_TIDY_PACKAGE_DEPENDS
  "${dmacheck_libs}${dmacheck_resource_dir_package}, clang-tidy-${V}")
set(CPACK_DEBIAN_TIDY_PACKAGE_PROVIDES "dmacheck-tidy")
set(CPACK_DEBIAN_TIDY_PACKAGE_CONFLICTS "dmacheck-tidy")
set(CPACK_DEBIAN_TIDY_PACKAGE_REPLACES "dmacheck-tidy")
set(CPACK_DEBIAN_TIDY_DESCRIPTION
  "dmacheck's DMA flush-ordering checks for clang-tidy-${V}
The dma-* checks of dmacheck as a clang-tidy module: a plugin for
clang-tidy-${V} (clang-tidy-${V} --load=${CPACK_PACKAGING_INSTALL_PREFIX}/${DMACHECK_INSTALL_PLUGIN_DIR}/libdmacheck-tidy-plugin.so)
and dmacheck-tidy, clang-tidy's own program with the checks built in.")

include(CPack)
