/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * A tiny stand-in for the WDK's wdm.h that declares only what the tests use,
 * spelled differently from mingw-w64's header on purpose (no NTAPI, no IN/OUT,
 * extern HAL routines instead of inline wrappers, DMA v3 routines that
 * mingw-w64 lacks): recognition must not depend on one header set. It is
 * found by -I, not -isystem, as a driver tree's own copy of the DDK headers
 * is: what it declares is still the system's (checker/lib/OsCode.h).
 */
#ifndef DMA_MINI_H
#define DMA_MINI_H

typedef unsigned char BOOLEAN;
typedef unsigned char UCHAR, *PUCHAR;
typedef char CHAR, *PCHAR;
typedef unsigned int ULONG, *PULONG;
typedef int LONG, NTSTATUS;
typedef unsigned long long ULONGLONG, ULONG_PTR;
typedef void VOID, *PVOID;
typedef long long LONGLONG;
typedef union { struct { ULONG LowPart; LONG HighPart; } u; LONGLONG QuadPart; } PHYSICAL_ADDRESS;

#define TRUE 1
#define FALSE 0
#ifndef NULL
#define NULL ((void *)0)
#endif
#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define STATUS_IO_DEVICE_ERROR ((NTSTATUS)0xC0000185)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#define STATUS_IO_TIMEOUT ((NTSTATUS)0xC00000B5)
#define STATUS_CANCELLED ((NTSTATUS)0xC0000120)
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define IO_NO_INCREMENT 0
#define PAGE_SIZE 0x1000

typedef struct _MDL {
  struct _MDL *Next;
  PVOID StartVa;
  ULONG ByteCount;
  ULONG ByteOffset;
} MDL, *PMDL;

#define MmGetMdlVirtualAddress(Mdl) ((PVOID)((PCHAR)((Mdl)->StartVa) + (Mdl)->ByteOffset))
#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)

typedef struct _IO_STATUS_BLOCK {
  NTSTATUS Status;
  ULONG_PTR Information;
} IO_STATUS_BLOCK;

typedef struct _IRP {
  PMDL MdlAddress;
  IO_STATUS_BLOCK IoStatus;
} IRP, *PIRP;

typedef struct _DEVICE_OBJECT {
  PVOID DeviceExtension;
  PIRP CurrentIrp;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _DMA_ADAPTER DMA_ADAPTER, *PDMA_ADAPTER;

typedef enum _IO_ALLOCATION_ACTION {
  KeepObject = 1,
  DeallocateObject,
  DeallocateObjectKeepRegisters
} IO_ALLOCATION_ACTION;

typedef IO_ALLOCATION_ACTION DRIVER_CONTROL(PDEVICE_OBJECT DeviceObject,
                                            PIRP Irp, PVOID MapRegisterBase,
                                            PVOID Context);
typedef DRIVER_CONTROL *PDRIVER_CONTROL;

typedef PHYSICAL_ADDRESS (*PMAP_TRANSFER)(PDMA_ADAPTER, PMDL, PVOID, PVOID,
                                          PULONG, BOOLEAN);
typedef BOOLEAN (*PFLUSH_ADAPTER_BUFFERS)(PDMA_ADAPTER, PMDL, PVOID, PVOID,
                                          ULONG, BOOLEAN);
typedef VOID (*PFREE_MAP_REGISTERS)(PDMA_ADAPTER, PVOID, ULONG);
typedef VOID (*PFREE_ADAPTER_CHANNEL)(PDMA_ADAPTER);
typedef VOID (*PPUT_DMA_ADAPTER)(PDMA_ADAPTER);
typedef NTSTATUS (*PALLOCATE_ADAPTER_CHANNEL)(PDMA_ADAPTER, PDEVICE_OBJECT,
                                              ULONG, PDRIVER_CONTROL, PVOID);
/* DMA v3 (Windows 8+) */
typedef NTSTATUS (*PMAP_TRANSFER_EX)(PDMA_ADAPTER, PMDL, PVOID, ULONGLONG,
                                     ULONG, PULONG, BOOLEAN, PVOID, ULONG,
                                     PVOID, PVOID);
typedef NTSTATUS (*PFLUSH_ADAPTER_BUFFERS_EX)(PDMA_ADAPTER, PMDL, PVOID,
                                              ULONGLONG, ULONG, BOOLEAN);

typedef struct _DMA_OPERATIONS {
  ULONG Size;
  PPUT_DMA_ADAPTER PutDmaAdapter;
  PALLOCATE_ADAPTER_CHANNEL AllocateAdapterChannel;
  PFLUSH_ADAPTER_BUFFERS FlushAdapterBuffers;
  PFREE_ADAPTER_CHANNEL FreeAdapterChannel;
  PFREE_MAP_REGISTERS FreeMapRegisters;
  PMAP_TRANSFER MapTransfer;
  PMAP_TRANSFER_EX MapTransferEx;
  PFLUSH_ADAPTER_BUFFERS_EX FlushAdapterBuffersEx;
} DMA_OPERATIONS, *PDMA_OPERATIONS;

struct _DMA_ADAPTER {
  unsigned short Version;
  unsigned short Size;
  PDMA_OPERATIONS DmaOperations;
};

/* Legacy HAL routines, declared as plain functions here. */
PHYSICAL_ADDRESS IoMapTransfer(PDMA_ADAPTER, PMDL, PVOID, PVOID, PULONG, BOOLEAN);
BOOLEAN IoFlushAdapterBuffers(PDMA_ADAPTER, PMDL, PVOID, PVOID, ULONG, BOOLEAN);
VOID IoFreeMapRegisters(PDMA_ADAPTER, PVOID, ULONG);
VOID IoFreeAdapterChannel(PDMA_ADAPTER);
VOID IofCompleteRequest(PIRP Irp, CHAR PriorityBoost);
#define IoCompleteRequest(a, b) IofCompleteRequest(a, b)
VOID KeStallExecutionProcessor(ULONG MicroSeconds);
ULONG DbgPrint(const char *Format, ...);
PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                   BOOLEAN ChargeQuota, PIRP Irp);
typedef struct _DEVICE_DESCRIPTION {
  ULONG Version;
  BOOLEAN Master;
  BOOLEAN ScatterGather;
  ULONG MaximumLength;
} DEVICE_DESCRIPTION, *PDEVICE_DESCRIPTION;
PDMA_ADAPTER IoGetDmaAdapter(PDEVICE_OBJECT PhysicalDeviceObject,
                             PDEVICE_DESCRIPTION DeviceDescription,
                             PULONG NumberOfMapRegisters);
ULONG READ_REGISTER_ULONG(volatile ULONG *Register);
VOID WRITE_REGISTER_ULONG(volatile ULONG *Register, ULONG Value);

/* Deferred procedure calls and the adapter channel, for the cross-callback
   scenarios (signatures as in wdm.h). */
#define UNREFERENCED_PARAMETER(P) {(P) = (P);}

struct _KDPC;
typedef VOID KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext,
                               PVOID SystemArgument1, PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

typedef struct _KDPC {
  UCHAR Type;
  UCHAR Importance;
  PKDEFERRED_ROUTINE DeferredRoutine;
  PVOID DeferredContext;
  PVOID SystemArgument1;
  PVOID SystemArgument2;
} KDPC, *PKDPC, *PRKDPC;

typedef VOID IO_DPC_ROUTINE(struct _KDPC *Dpc, struct _DEVICE_OBJECT *DeviceObject,
                            struct _IRP *Irp, PVOID Context);
typedef IO_DPC_ROUTINE *PIO_DPC_ROUTINE;

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                     PVOID DeferredContext);
VOID IoInitializeDpcRequest(PDEVICE_OBJECT DeviceObject,
                            PIO_DPC_ROUTINE DpcRoutine);
struct _KINTERRUPT;
typedef struct _KINTERRUPT *PKINTERRUPT;
typedef BOOLEAN KSERVICE_ROUTINE(struct _KINTERRUPT *Interrupt,
                                 PVOID ServiceContext);
typedef KSERVICE_ROUTINE *PKSERVICE_ROUTINE;

NTSTATUS IoAllocateAdapterChannel(PDMA_ADAPTER DmaAdapter,
                                  PDEVICE_OBJECT DeviceObject,
                                  ULONG NumberOfMapRegisters,
                                  PDRIVER_CONTROL ExecutionRoutine,
                                  PVOID Context);

#endif
