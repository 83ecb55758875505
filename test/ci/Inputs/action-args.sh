#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# action-args.sh ACTION_RUN: the action's run step with every input set, as
# action.yml maps them, around the fake dmacheck (the arguments it is given).
export INPUT_BUILD_DIR=build
export INPUT_VCXPROJ=driver.vcxproj
export INPUT_CHECKS='dma-*,-dma-flush-order'
export INPUT_FILES='src/a.c
  src/b.c'
export INPUT_ARGS=$'--wdk="C:/Program Files/Windows Kits/10" \'--extra-arg=-DX=a b\'\n -- -DY=1 -I\\\\server'
export INPUT_SARIF=out/results.sarif
export INPUT_FAIL_ON_FINDINGS=false
exec bash "$1"
