/* A fake libcuda.so.1 for the shim tests: two devices of 80 GiB each, real bookkeeping of what is allocated (so the
 * driver's own figures move), call counters per entry point, an injectable failure, and cuGetProcAddress with the
 * driver's version and per-thread-stream selection rules. Test-only helpers start with fakecuda_.
 * Built twice: FAKE_MINIMAL leaves out cuLaunchKernelEx(_ptsz) and cuMemAllocFromPoolAsync(_ptsz), standing for an
 * older driver that lacks optional entry points. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cuda_types.h"

#define EXPORT __attribute__((visibility("default")))
#define FAKE_DEVICES 2
#define FAKE_TOTAL (80ull << 30)
#define MAX_LIVE 8192

static const char* const counted[] = {
    "cuMemAlloc", "cuMemAlloc_v2", "cuMemFree", "cuMemFree_v2", "cuMemAllocPitch_v2", "cuMemAllocManaged",
    "cuMemAllocAsync", "cuMemAllocAsync_ptsz", "cuMemAllocFromPoolAsync", "cuMemAllocFromPoolAsync_ptsz",
    "cuMemFreeAsync", "cuMemFreeAsync_ptsz", "cuMemCreate", "cuMemRelease", "cuMemMap", "cuMemUnmap", "cuArrayCreate_v2", "cuArray3DCreate_v2",
    "cuArrayDestroy", "cuMipmappedArrayCreate", "cuMipmappedArrayDestroy", "cuLaunchKernel", "cuLaunchKernel_ptsz",
    "cuLaunchKernelEx", "cuLaunchKernelEx_ptsz", "cuLaunchCooperativeKernel", "cuLaunchCooperativeKernel_ptsz",
    "cuGraphLaunch", "cuGraphLaunch_ptsz"};
#define COUNTED (sizeof(counted) / sizeof(counted[0]))
static _Atomic uint64_t calls[COUNTED];

static size_t counter_index(const char* name) {
    for (size_t i = 0; i < COUNTED; i++) if (strcmp(counted[i], name) == 0) return i;
    abort();   /* a counted() entry is missing: a bug in this file */
}
/* Each call site looks its counter up once, so counting stays cheap enough for the launch benchmark's baseline. */
#define count(name) do { static size_t index_ = SIZE_MAX; \
        if (index_ == SIZE_MAX) index_ = counter_index(name); \
        atomic_fetch_add_explicit(&calls[index_], 1, memory_order_relaxed); } while (0)

EXPORT uint64_t fakecuda_calls(const char* name) {
    for (size_t i = 0; i < COUNTED; i++) if (strcmp(counted[i], name) == 0) return atomic_load(&calls[i]);
    return UINT64_MAX;
}

static _Atomic int fail_next;
/* The next allocation of any kind returns code instead of succeeding (to test rollback). */
EXPORT void fakecuda_fail_next_alloc(int code) { atomic_store(&fail_next, code); }

static __thread int current_device;
static _Atomic uint64_t used[FAKE_DEVICES];
static _Atomic uint64_t next_address = 0x7f0000000000ull;
static _Atomic uint32_t next_small_address = 0x1000u;
static struct { uint64_t key; uint64_t bytes; int device; } live[MAX_LIVE];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static CUresult take(uint64_t bytes, uint64_t key) {
    int injected = atomic_exchange(&fail_next, 0);
    if (injected != 0) return injected;
    int device = current_device;
    uint64_t now = atomic_load(&used[device]);
    do {
        if (bytes > FAKE_TOTAL - now) return CUDA_ERROR_OUT_OF_MEMORY;
    } while (!atomic_compare_exchange_weak(&used[device], &now, now + bytes));
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < MAX_LIVE; i++) {
        if (live[i].key == 0) { live[i].key = key; live[i].bytes = bytes; live[i].device = device; break; }
    }
    pthread_mutex_unlock(&live_lock);
    return CUDA_SUCCESS;
}

static CUresult give(uint64_t key) {
    CUresult result = CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < MAX_LIVE; i++) {
        if (live[i].key == key) {
            atomic_fetch_sub(&used[live[i].device], live[i].bytes);
            live[i].key = 0;
            result = CUDA_SUCCESS;
            break;
        }
    }
    pthread_mutex_unlock(&live_lock);
    return result;
}

static uint64_t new_address(uint64_t bytes) { return atomic_fetch_add(&next_address, (bytes | 0xFFFull) + 1); }

static CUresult alloc_pointer(const char* name, CUdeviceptr* pointer, uint64_t bytes) {
    atomic_fetch_add(&calls[counter_index(name)], 1);
    if (pointer == NULL) return CUDA_ERROR_INVALID_VALUE;
    uint64_t address = new_address(bytes);
    CUresult result = take(bytes, address);
    if (result == CUDA_SUCCESS) *pointer = address;
    return result;
}

EXPORT CUresult cuInit(unsigned flags) { (void)flags; return CUDA_SUCCESS; }
EXPORT CUresult cuDriverGetVersion(int* version) { *version = 13000; return CUDA_SUCCESS; }
EXPORT CUresult cuDeviceGetCount(int* n) { *n = FAKE_DEVICES; return CUDA_SUCCESS; }
EXPORT CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (ordinal < 0 || ordinal >= FAKE_DEVICES) return CUDA_ERROR_INVALID_VALUE;
    *device = ordinal;
    return CUDA_SUCCESS;
}
EXPORT CUresult cuDeviceGetUuid_v2(CUuuid* uuid, CUdevice device) {
    for (int i = 0; i < 16; i++) uuid->bytes[i] = (char)(0xa0 + i);
    uuid->bytes[15] = (char)device;
    return CUDA_SUCCESS;
}
EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
    *context = (CUcontext)(uintptr_t)(device + 1);
    return CUDA_SUCCESS;
}
EXPORT CUresult cuCtxSetCurrent(CUcontext context) {
    current_device = context == NULL ? 0 : (int)((uintptr_t)context - 1);
    return CUDA_SUCCESS;
}
EXPORT CUresult cuCtxGetDevice(CUdevice* device) { *device = current_device; return CUDA_SUCCESS; }
EXPORT CUresult cuCtxSynchronize(void) { return CUDA_SUCCESS; }
/* Enough module support for tfshim-gpu-probe's compute check to run its arithmetic against the fake. */
EXPORT CUresult cuModuleLoadData(void** module, const void* image) { (void)image; *module = (void*)0x10; return CUDA_SUCCESS; }
EXPORT CUresult cuModuleGetFunction(CUfunction* function, void* module, const char* name) {
    (void)module; (void)name;
    *function = (CUfunction)0x20;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) { return alloc_pointer("cuMemAlloc_v2", p, bytes); }
EXPORT CUresult cuMemAlloc(CUdeviceptr_v1* p, unsigned int bytes) {
    count("cuMemAlloc");
    uint32_t address = atomic_fetch_add(&next_small_address, 0x1000u);
    CUresult result = take(bytes, address);
    if (result == CUDA_SUCCESS) *p = address;
    return result;
}
EXPORT CUresult cuMemAllocManaged(CUdeviceptr* p, size_t bytes, unsigned flags) {
    (void)flags;
    return alloc_pointer("cuMemAllocManaged", p, bytes);
}
/* What cuGetProcAddress hands out for cuMemAllocManaged: an internal entry, not the export (real drivers may do
 * this), so the shim's family-table path is exercised. */
static CUresult internal_alloc_managed(CUdeviceptr* p, size_t bytes, unsigned flags) {
    (void)flags;
    return alloc_pointer("cuMemAllocManaged", p, bytes);
}
EXPORT CUresult cuMemAllocAsync(CUdeviceptr* p, size_t bytes, CUstream s) {
    (void)s;
    return alloc_pointer("cuMemAllocAsync", p, bytes);
}
EXPORT CUresult cuMemAllocAsync_ptsz(CUdeviceptr* p, size_t bytes, CUstream s) {
    (void)s;
    return alloc_pointer("cuMemAllocAsync_ptsz", p, bytes);
}
#ifndef FAKE_MINIMAL
EXPORT CUresult cuMemAllocFromPoolAsync(CUdeviceptr* p, size_t bytes, CUmemoryPool pool, CUstream s) {
    (void)pool; (void)s;
    return alloc_pointer("cuMemAllocFromPoolAsync", p, bytes);
}
EXPORT CUresult cuMemAllocFromPoolAsync_ptsz(CUdeviceptr* p, size_t bytes, CUmemoryPool pool, CUstream s) {
    (void)pool; (void)s;
    return alloc_pointer("cuMemAllocFromPoolAsync_ptsz", p, bytes);
}
#endif
/* Pitch rounds each row up to 512 bytes, as real devices align rows. */
EXPORT CUresult cuMemAllocPitch_v2(CUdeviceptr* p, size_t* pitch, size_t width, size_t height, unsigned element) {
    (void)element;
    size_t rounded = (width + 511) / 512 * 512;
    CUresult result = alloc_pointer("cuMemAllocPitch_v2", p, (uint64_t)rounded * height);
    if (result == CUDA_SUCCESS) *pitch = rounded;
    return result;
}
/* Stands for a newer variant a future driver might add: the shim must pass it through, not wrap it. */
EXPORT CUresult cuMemAlloc_v9(CUdeviceptr* p, size_t bytes) { return alloc_pointer("cuMemAlloc_v2", p, bytes); }
EXPORT CUresult cuMemFree_v2(CUdeviceptr p) { count("cuMemFree_v2"); return give(p); }
EXPORT CUresult cuMemFree(CUdeviceptr_v1 p) { count("cuMemFree"); return give(p); }
EXPORT CUresult cuMemFreeAsync(CUdeviceptr p, CUstream s) { (void)s; count("cuMemFreeAsync"); return give(p); }
EXPORT CUresult cuMemFreeAsync_ptsz(CUdeviceptr p, CUstream s) { (void)s; count("cuMemFreeAsync_ptsz"); return give(p); }

static _Atomic uint64_t next_handle = 1;
EXPORT CUresult cuMemCreate(CUmemGenericAllocationHandle* handle, size_t bytes, const CUmemAllocationProp* prop,
                            unsigned long long flags) {
    (void)flags;
    count("cuMemCreate");
    uint64_t key = 0x100000000000ull + atomic_fetch_add(&next_handle, 1);
    int saved = current_device;
    if (prop->location.type == CU_MEM_LOCATION_TYPE_DEVICE) current_device = prop->location.id;
    CUresult result = take(bytes, key);
    current_device = saved;
    if (result == CUDA_SUCCESS) *handle = key;
    return result;
}
EXPORT CUresult cuMemRelease(CUmemGenericAllocationHandle handle) { count("cuMemRelease"); return give(handle); }
EXPORT CUresult cuMemMap(CUdeviceptr address, size_t size, size_t offset, CUmemGenericAllocationHandle handle,
                         unsigned long long flags) {
    (void)address; (void)size; (void)offset; (void)handle; (void)flags;
    count("cuMemMap");
    return CUDA_SUCCESS;
}
EXPORT CUresult cuMemUnmap(CUdeviceptr address, size_t size) {
    (void)address; (void)size;
    count("cuMemUnmap");
    return CUDA_SUCCESS;
}

static uint64_t element_bytes(CUarray_format format) {
    return format == 0x01 || format == 0x08 ? 1 : format == 0x02 || format == 0x09 || format == 0x10 ? 2 : 4;
}
static CUresult create_array(const char* name, void** handle, uint64_t bytes) {
    atomic_fetch_add(&calls[counter_index(name)], 1);
    uint64_t key = new_address(bytes);
    CUresult result = take(bytes, key);
    if (result == CUDA_SUCCESS) *handle = (void*)(uintptr_t)key;
    return result;
}
EXPORT CUresult cuArrayCreate_v2(CUarray* array, const CUDA_ARRAY_DESCRIPTOR* d) {
    uint64_t bytes = (uint64_t)d->Width * (d->Height ? d->Height : 1) * element_bytes(d->Format) * d->NumChannels;
    return create_array("cuArrayCreate_v2", (void**)array, bytes);
}
EXPORT CUresult cuArray3DCreate_v2(CUarray* array, const CUDA_ARRAY3D_DESCRIPTOR* d) {
    uint64_t bytes = (uint64_t)d->Width * (d->Height ? d->Height : 1) * (d->Depth ? d->Depth : 1) *
                     element_bytes(d->Format) * d->NumChannels;
    return create_array("cuArray3DCreate_v2", (void**)array, bytes);
}
EXPORT CUresult cuMipmappedArrayCreate(CUmipmappedArray* array, const CUDA_ARRAY3D_DESCRIPTOR* d, unsigned levels) {
    (void)levels;   /* the fake charges level 0 only; the shim's per-level sum is checked against its own formula */
    uint64_t bytes = (uint64_t)d->Width * (d->Height ? d->Height : 1) * (d->Depth ? d->Depth : 1) *
                     element_bytes(d->Format) * d->NumChannels;
    return create_array("cuMipmappedArrayCreate", (void**)array, bytes);
}
EXPORT CUresult cuArrayDestroy(CUarray a) { count("cuArrayDestroy"); return give((uint64_t)(uintptr_t)a); }
EXPORT CUresult cuMipmappedArrayDestroy(CUmipmappedArray a) {
    count("cuMipmappedArrayDestroy");
    return give((uint64_t)(uintptr_t)a);
}

EXPORT CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total) {
    *total = FAKE_TOTAL;
    *free_bytes = FAKE_TOTAL - atomic_load(&used[current_device]);
    return CUDA_SUCCESS;
}
EXPORT CUresult cuMemGetInfo(unsigned int* free_bytes, unsigned int* total) {
    *total = 0xFFFFFFFFu;
    *free_bytes = 0xFFFFFFFFu;
    return CUDA_SUCCESS;
}
EXPORT CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) { (void)device; *bytes = FAKE_TOTAL; return CUDA_SUCCESS; }
EXPORT CUresult cuDeviceTotalMem(unsigned int* bytes, CUdevice device) { (void)device; *bytes = 0xFFFFFFFFu; return CUDA_SUCCESS; }

#define LAUNCH_PARAMS CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, \
    unsigned shared, CUstream stream, void** params
#define UNUSED_LAUNCH (void)f; (void)gx; (void)gy; (void)gz; (void)bx; (void)by; (void)bz; (void)shared; (void)stream; (void)params
EXPORT CUresult cuLaunchKernel(LAUNCH_PARAMS, void** extra) { UNUSED_LAUNCH; (void)extra; count("cuLaunchKernel"); return CUDA_SUCCESS; }
EXPORT CUresult cuLaunchKernel_ptsz(LAUNCH_PARAMS, void** extra) { UNUSED_LAUNCH; (void)extra; count("cuLaunchKernel_ptsz"); return CUDA_SUCCESS; }
/* The benchmark's baseline: the same body as cuLaunchKernel under a name the shim does not hook. */
EXPORT CUresult fakecuda_launch_unhooked(LAUNCH_PARAMS, void** extra) { UNUSED_LAUNCH; (void)extra; count("cuLaunchKernel"); return CUDA_SUCCESS; }
EXPORT CUresult cuLaunchCooperativeKernel(LAUNCH_PARAMS) { UNUSED_LAUNCH; count("cuLaunchCooperativeKernel"); return CUDA_SUCCESS; }
EXPORT CUresult cuLaunchCooperativeKernel_ptsz(LAUNCH_PARAMS) { UNUSED_LAUNCH; count("cuLaunchCooperativeKernel_ptsz"); return CUDA_SUCCESS; }
#ifndef FAKE_MINIMAL
EXPORT CUresult cuLaunchKernelEx(const CUlaunchConfig* c, CUfunction f, void** p, void** e) { (void)c; (void)f; (void)p; (void)e; count("cuLaunchKernelEx"); return CUDA_SUCCESS; }
EXPORT CUresult cuLaunchKernelEx_ptsz(const CUlaunchConfig* c, CUfunction f, void** p, void** e) { (void)c; (void)f; (void)p; (void)e; count("cuLaunchKernelEx_ptsz"); return CUDA_SUCCESS; }
#endif
EXPORT CUresult cuGraphLaunch(CUgraphExec g, CUstream s) { (void)g; (void)s; count("cuGraphLaunch"); return CUDA_SUCCESS; }
EXPORT CUresult cuGraphLaunch_ptsz(CUgraphExec g, CUstream s) { (void)g; (void)s; count("cuGraphLaunch_ptsz"); return CUDA_SUCCESS; }

/* cuGetProcAddress: the newest export of the family the caller's cudaVersion allows, _ptsz when asked for. */
static const struct { const char* family; const char* name; int since; int per_thread; void* function; } procs[] = {
    {"cuMemAlloc", "cuMemAlloc", 2000, 0, (void*)cuMemAlloc}, {"cuMemAlloc", "cuMemAlloc_v2", 3020, 0, (void*)cuMemAlloc_v2},
    {"cuMemAlloc", "cuMemAlloc_v9", 99000, 0, (void*)cuMemAlloc_v9},
    {"cuMemFree", "cuMemFree", 2000, 0, (void*)cuMemFree}, {"cuMemFree", "cuMemFree_v2", 3020, 0, (void*)cuMemFree_v2},
    {"cuMemAllocPitch", "cuMemAllocPitch_v2", 3020, 0, (void*)cuMemAllocPitch_v2},
    {"cuMemAllocManaged", "cuMemAllocManaged", 6000, 0, (void*)internal_alloc_managed},
    {"cuMemAllocAsync", "cuMemAllocAsync", 11020, 0, (void*)cuMemAllocAsync},
    {"cuMemAllocAsync", "cuMemAllocAsync_ptsz", 11020, 1, (void*)cuMemAllocAsync_ptsz},
#ifndef FAKE_MINIMAL
    {"cuMemAllocFromPoolAsync", "cuMemAllocFromPoolAsync", 11020, 0, (void*)cuMemAllocFromPoolAsync},
    {"cuMemAllocFromPoolAsync", "cuMemAllocFromPoolAsync_ptsz", 11020, 1, (void*)cuMemAllocFromPoolAsync_ptsz},
#endif
    {"cuMemFreeAsync", "cuMemFreeAsync", 11020, 0, (void*)cuMemFreeAsync},
    {"cuMemFreeAsync", "cuMemFreeAsync_ptsz", 11020, 1, (void*)cuMemFreeAsync_ptsz},
    {"cuMemCreate", "cuMemCreate", 10020, 0, (void*)cuMemCreate}, {"cuMemRelease", "cuMemRelease", 10020, 0, (void*)cuMemRelease},
    {"cuMemMap", "cuMemMap", 10020, 0, (void*)cuMemMap}, {"cuMemUnmap", "cuMemUnmap", 10020, 0, (void*)cuMemUnmap},
    {"cuArrayCreate", "cuArrayCreate_v2", 3020, 0, (void*)cuArrayCreate_v2},
    {"cuArray3DCreate", "cuArray3DCreate_v2", 3020, 0, (void*)cuArray3DCreate_v2},
    {"cuArrayDestroy", "cuArrayDestroy", 2000, 0, (void*)cuArrayDestroy},
    {"cuMipmappedArrayCreate", "cuMipmappedArrayCreate", 5000, 0, (void*)cuMipmappedArrayCreate},
    {"cuMipmappedArrayDestroy", "cuMipmappedArrayDestroy", 5000, 0, (void*)cuMipmappedArrayDestroy},
    {"cuMemGetInfo", "cuMemGetInfo", 2000, 0, (void*)cuMemGetInfo}, {"cuMemGetInfo", "cuMemGetInfo_v2", 3020, 0, (void*)cuMemGetInfo_v2},
    {"cuDeviceTotalMem", "cuDeviceTotalMem", 2000, 0, (void*)cuDeviceTotalMem},
    {"cuDeviceTotalMem", "cuDeviceTotalMem_v2", 3020, 0, (void*)cuDeviceTotalMem_v2},
    {"cuLaunchKernel", "cuLaunchKernel", 4000, 0, (void*)cuLaunchKernel},
    {"cuLaunchKernel", "cuLaunchKernel_ptsz", 7000, 1, (void*)cuLaunchKernel_ptsz},
#ifndef FAKE_MINIMAL
    {"cuLaunchKernelEx", "cuLaunchKernelEx", 11060, 0, (void*)cuLaunchKernelEx},
    {"cuLaunchKernelEx", "cuLaunchKernelEx_ptsz", 11060, 1, (void*)cuLaunchKernelEx_ptsz},
#endif
    {"cuLaunchCooperativeKernel", "cuLaunchCooperativeKernel", 9000, 0, (void*)cuLaunchCooperativeKernel},
    {"cuLaunchCooperativeKernel", "cuLaunchCooperativeKernel_ptsz", 9000, 1, (void*)cuLaunchCooperativeKernel_ptsz},
    {"cuGraphLaunch", "cuGraphLaunch", 10000, 0, (void*)cuGraphLaunch},
    {"cuGraphLaunch", "cuGraphLaunch_ptsz", 10000, 1, (void*)cuGraphLaunch_ptsz},
    {"cuCtxGetDevice", "cuCtxGetDevice", 2000, 0, (void*)cuCtxGetDevice},
    {"cuCtxSetCurrent", "cuCtxSetCurrent", 4000, 0, (void*)cuCtxSetCurrent},
    {"cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRetain", 7000, 0, (void*)cuDevicePrimaryCtxRetain},
    {"cuInit", "cuInit", 2000, 0, (void*)cuInit},
};
EXPORT CUresult cuGetProcAddress(const char* symbol, void** function, int version, cuuint64_t flags);
EXPORT CUresult cuGetProcAddress_v2(const char* symbol, void** function, int version, cuuint64_t flags,
                                    CUdriverProcAddressQueryResult* status);

static CUresult lookup(const char* symbol, void** function, int version, cuuint64_t flags,
                       CUdriverProcAddressQueryResult* status) {
    int per_thread = (flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) != 0;
    int best = -1, known = 0;
    if (strcmp(symbol, "cuGetProcAddress") == 0) {
        *function = version >= 12000 ? (void*)cuGetProcAddress_v2 : (void*)cuGetProcAddress;
        if (status) *status = CU_GET_PROC_ADDRESS_SUCCESS;
        return CUDA_SUCCESS;
    }
    for (int pass = 0; pass < 2 && best < 0; pass++) {
        for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
            if (strcmp(procs[i].family, symbol) != 0) continue;
            known = 1;
            if (procs[i].since > version || procs[i].per_thread != (pass == 0 ? per_thread : 0)) continue;
            if (best < 0 || procs[i].since > procs[best].since) best = (int)i;
        }
    }
    if (best < 0) {
        *function = NULL;
        if (status) *status = known ? CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
        return CUDA_ERROR_NOT_FOUND;
    }
    *function = procs[best].function;
    if (status) *status = CU_GET_PROC_ADDRESS_SUCCESS;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuGetProcAddress(const char* symbol, void** function, int version, cuuint64_t flags) {
    return lookup(symbol, function, version, flags, NULL);
}
EXPORT CUresult cuGetProcAddress_v2(const char* symbol, void** function, int version, cuuint64_t flags,
                                    CUdriverProcAddressQueryResult* status) {
    return lookup(symbol, function, version, flags, status);
}
