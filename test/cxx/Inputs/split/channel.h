// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A C++ driver class split over two files (see test/cxx/split-driver.test).
#include <wdm.h>

class CChannel {
public:
  NTSTATUS Start(PIRP Irp);
  static IO_ALLOCATION_ACTION NTAPI AdapterControlThunk(PDEVICE_OBJECT, PIRP,
                                                       PVOID, PVOID);
  static VOID NTAPI DpcThunk(PKDPC, PVOID, PVOID, PVOID);

private:
  IO_ALLOCATION_ACTION OnAdapterControl(PIRP Irp, PVOID MapRegisterBase);
  VOID OnDpc();
  PDEVICE_OBJECT m_DeviceObject;
  PDMA_ADAPTER m_Adapter;
  ULONG m_MapRegisterCount;
  KDPC m_Dpc;
  PIRP m_Irp;
  PVOID m_MapRegisterBase;
  PMDL m_Mdl;
  PVOID m_Va;
  ULONG m_Length;
};

// Another class with members of the same names: its routines are not the
// channel's.
class CTimer {
public:
  NTSTATUS Start(PIRP Irp);
  static VOID NTAPI DpcThunk(PKDPC, PVOID, PVOID, PVOID);
  VOID OnDpc();
};
