# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
import os
import lit.formats

config.name = "dmacheck"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["include", "Inputs", "fixtures", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dmacheck_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])

inc = os.path.join(config.test_source_root, "include")
ddk = config.ddk_dir
# The two header sets every scenario is checked against.
wdm_flags = "--target=x86_64-w64-mingw32 -fms-extensions -isystem %s -I%s" % (ddk, inc)
mini_flags = "--target=x86_64-w64-mingw32 -fms-extensions -DDMA_MINI -I%s -I%s" % (
    os.path.join(inc, "mini"), inc)

both = "%s %s --dmacheck %s" % (config.python_executable,
                                os.path.join(config.test_source_root, "both.py"),
                                config.dmacheck)
if config.tidy_plugin and config.clang_tidy:
    both += " --tidy %s --plugin %s" % (config.clang_tidy, config.tidy_plugin)
    config.available_features.add("tidy-plugin")
elif config.sanitized and getattr(config, "tidy_exe", ""):
    # Sanitizer build: the module runs inside the sanitized dmacheck-tidy.
    config.available_features.add("sanitized")
else:
    lit_config.fatal("the clang-tidy plugin and clang-tidy are required: every "
                     "scenario runs through both front ends")

if getattr(config, "tidy_exe", ""):
    both += " --tidy-exe %s" % config.tidy_exe
    config.available_features.add("dmacheck-tidy")
config.substitutions.append(("%both", both))
config.substitutions.append(("%dmacheck", config.dmacheck))
config.substitutions.append(("%clang-tidy", config.clang_tidy))
config.substitutions.append(("%tidy-plugin", config.tidy_plugin))
# clang-tidy with the dma checks, for runs that give clang-tidy's own options
# (--fix, --export-fixes): the plugin loaded into clang-tidy, or in a
# sanitizer build (no plugin) the sanitized dmacheck-tidy.
if config.tidy_plugin and config.clang_tidy:
    config.substitutions.append(
        ("%tidy-fix", "%s --load=%s" % (config.clang_tidy, config.tidy_plugin)))
else:
    config.substitutions.append(("%tidy-fix", getattr(config, "tidy_exe", "")))
# C++ against mingw-w64's headers: what dmacheck's embedded default adds for a
# C++ file (DefaultCxxFlags in checker/cli/dmacheck.cpp), for commands that
# give their own flags (clang-tidy, g++).
cxx_defines = ("-D__INTRINSIC_DEFINED_InterlockedBitTestAndSet "
               "-D__INTRINSIC_DEFINED_InterlockedBitTestAndReset")
config.substitutions.append(("%cxx-wdm", wdm_flags + " " + cxx_defines))
config.substitutions.append(("%wdm", wdm_flags))
config.substitutions.append(("%ddk", ddk))
config.substitutions.append(("%test-include", inc))
if config.mingw_gcc:
    config.substitutions.append(("%mingw-gcc", config.mingw_gcc))
config.substitutions.append(("%mini", mini_flags))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%exit", "%s %s" % (config.python_executable, os.path.join(config.test_source_root, "expect-exit.py"))))
config.substitutions.append(("%fixtures", os.path.join(config.test_source_root, "fixtures")))
config.substitutions.append(("%sarif-schema", config.sarif_schema))
if os.path.exists(config.sarif_schema):
    try:
        import subprocess
        subprocess.check_call([config.python_executable, "-c", "import jsonschema"])
        config.available_features.add("sarif-schema")
    except Exception:
        pass

# Scenario files are real driver C: they must compile with mingw-w64's gcc and
# both header sets, warnings as errors.
if config.mingw_gcc:
    gcc = "%s -Wall -Werror -fsyntax-only -I%s -I%s" % (config.mingw_gcc, ddk, inc)
    config.available_features.add("mingw-gcc")
else:
    gcc = "true"
config.substitutions.append(("%gcc-wdm", gcc))
# C++ scenarios compile with mingw-w64's g++ the same way.
mingw_gxx = getattr(config, "mingw_gxx", "")
if mingw_gxx:
    config.substitutions.append(("%gxx-wdm", "%s -Wall -Werror -fsyntax-only %s -I%s -I%s" % (
        mingw_gxx, cxx_defines, ddk, inc)))
    config.available_features.add("mingw-gxx")
else:
    config.substitutions.append(("%gxx-wdm", "true"))
config.substitutions.append(("%gxx-mini", "%s -Wall -Werror -fsyntax-only -DDMA_MINI -I%s -I%s" % (
    mingw_gxx, os.path.join(inc, "mini"), inc) if mingw_gxx else "true"))
config.substitutions.append(("%gcc-mini", "%s -Wall -Werror -fsyntax-only -DDMA_MINI -I%s -I%s" % (
    config.mingw_gcc, os.path.join(inc, "mini"), inc) if config.mingw_gcc else "true"))

# A clang-tidy of another LLVM version, to check that the plugin refuses to
# load into it instead of crashing.
import glob
import re
m = re.search(r"llvm-(\d+)", config.clang_tidy or "")
others = [p for p in sorted(glob.glob("/usr/lib/llvm-*/bin/clang-tidy"))
          if m and ("llvm-%s/" % m.group(1)) not in p]
if others:
    config.available_features.add("other-clang-tidy")
    config.substitutions.append(("%other-clang-tidy", others[0]))

import shutil
if shutil.which("git"):
    config.available_features.add("git")

# Installation and packages (cmake/Packaging.cmake): the build tree, CMake's
# install and CPack, the LLVM major version the packages are named after.
config.substitutions.append(("%build-dir", config.dmacheck_obj_root))
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%cpack", config.cpack))
config.substitutions.append(("%llvm-major", config.llvm_major))
config.substitutions.append(("%scripts", os.path.join(config.test_source_root, "..", "scripts")))
if shutil.which("dpkg-deb"):
    config.available_features.add("dpkg-deb")

# Headless Chromium renders the HTML report (test/cli/html-chromium.test);
# scripts/install-deps.sh installs Debian's chromium. Without it that test is
# reported UNSUPPORTED.
chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
if os.path.exists(chromium):
    config.available_features.add("chromium")
    config.environment["CHROMIUM"] = chromium
else:
    lit_config.note("no %s: the HTML report is not rendered in a browser "
                    "(cli/html-chromium.test unsupported; scripts/install-deps.sh "
                    "installs Debian's chromium)" % chromium)
