// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dmaapp: the solution's user-mode test application (dmaapp.vcxproj, an
// Application): it opens the driver's device. Not driver code, so a
// solution run does not analyse it.
#include <windows.h>
#include <stdio.h>

int main(void) {
  HANDLE Device = CreateFileA("\\\\.\\DmaA", GENERIC_READ | GENERIC_WRITE, 0,
                              NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (Device == INVALID_HANDLE_VALUE) {
    printf("cannot open the device: %lu\n", GetLastError());
    return 1;
  }
  CloseHandle(Device);
  return 0;
}
