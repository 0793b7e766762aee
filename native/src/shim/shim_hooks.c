/* libtfshim's hooked entry points: allocation families, frees, memory queries, launches, NVML memory info, and the
 * two ways a process finds driver symbols without linking them (dlsym and cuGetProcAddress). Each wrapper has the
 * driver's own name and signature so that LD_PRELOAD interposes it for directly linked programs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "shim_internal.h"

#define REQUIRE_REAL(name) do { shim_ensure_cuda(); if (REAL(name) == NULL) return CUDA_ERROR_NOT_FOUND; } while (0)

/* Reserve first, then call; roll back when the driver refuses; remember the bytes for the matching free. */
#define CHARGED_CALL(device, bytes, kind, key, call) do {                                  \
        tfshim_region_device* device_ = (device);                                          \
        uint64_t bytes_ = (bytes);                                                         \
        if (shim_reserve(device_, bytes_) != 0) return CUDA_ERROR_OUT_OF_MEMORY;           \
        CUresult result_ = (call);                                                         \
        if (result_ != CUDA_SUCCESS) { shim_release(device_, bytes_); return result_; }    \
        shim_record_add((kind), (uint64_t)(key), device_, bytes_);                         \
        return result_;                                                                    \
    } while (0)

/* Releases a record only when the driver accepted the free. */
#define RELEASING_CALL(kind, key, call) do {                                               \
        CUresult result_ = (call);                                                         \
        if (result_ == CUDA_SUCCESS) shim_record_release((kind), (uint64_t)(key));         \
        return result_;                                                                    \
    } while (0)

static tfshim_region_device* current_device(void) { return shim_device_for_ordinal(shim_current_ordinal()); }

static uint64_t saturating_multiply(uint64_t a, uint64_t b) {
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* Bytes per channel of a CUarray_format; formats not listed (block-compressed, video) are charged 4. */
static uint64_t format_bytes(CUarray_format format) {
    switch (format) {
        case 0x01: case 0x08: return 1;             /* UNSIGNED_INT8, SIGNED_INT8 */
        case 0x02: case 0x09: case 0x10: return 2;  /* UNSIGNED_INT16, SIGNED_INT16, HALF */
        default: return 4;                          /* (UN)SIGNED_INT32, FLOAT and the rest */
    }
}

static uint64_t array_bytes(size_t width, size_t height, size_t depth, CUarray_format format, unsigned channels) {
    uint64_t bytes = saturating_multiply(width ? width : 1, height ? height : 1);
    bytes = saturating_multiply(bytes, depth ? depth : 1);
    bytes = saturating_multiply(bytes, format_bytes(format));
    return saturating_multiply(bytes, channels ? channels : 1);
}

/* ---- frees (defined first: the pitch hook frees when the real pitch overshoots) ------------------------------- */

TFSHIM_EXPORT CUresult cuMemFree_v2(CUdeviceptr pointer) {
    REQUIRE_REAL(cuMemFree_v2);
    RELEASING_CALL(RECORD_POINTER, pointer, REAL(cuMemFree_v2)(pointer));
}

TFSHIM_EXPORT CUresult cuMemFree(CUdeviceptr_v1 pointer) {
    REQUIRE_REAL(cuMemFree);
    RELEASING_CALL(RECORD_POINTER, pointer, REAL(cuMemFree)(pointer));
}

TFSHIM_EXPORT CUresult cuMemFreeAsync(CUdeviceptr pointer, CUstream stream) {
    REQUIRE_REAL(cuMemFreeAsync);
    RELEASING_CALL(RECORD_POINTER, pointer, REAL(cuMemFreeAsync)(pointer, stream));
}

TFSHIM_EXPORT CUresult cuMemFreeAsync_ptsz(CUdeviceptr pointer, CUstream stream) {
    REQUIRE_REAL(cuMemFreeAsync_ptsz);
    RELEASING_CALL(RECORD_POINTER, pointer, REAL(cuMemFreeAsync_ptsz)(pointer, stream));
}

TFSHIM_EXPORT CUresult cuMemRelease(CUmemGenericAllocationHandle handle) {
    REQUIRE_REAL(cuMemRelease);
    RELEASING_CALL(RECORD_VMM_HANDLE, handle, REAL(cuMemRelease)(handle));
}

/* Mapping changes no charge; it only tells when a released handle's pages really go. */
TFSHIM_EXPORT CUresult cuMemMap(CUdeviceptr address, size_t size, size_t offset, CUmemGenericAllocationHandle handle,
                                unsigned long long flags) {
    REQUIRE_REAL(cuMemMap);
    CUresult result = REAL(cuMemMap)(address, size, offset, handle, flags);
    if (result == CUDA_SUCCESS) shim_record_mapped(address, handle);
    return result;
}

TFSHIM_EXPORT CUresult cuMemUnmap(CUdeviceptr address, size_t size) {
    REQUIRE_REAL(cuMemUnmap);
    CUresult result = REAL(cuMemUnmap)(address, size);
    if (result == CUDA_SUCCESS) shim_record_unmapped(address, size);
    return result;
}

TFSHIM_EXPORT CUresult cuArrayDestroy(CUarray array) {
    REQUIRE_REAL(cuArrayDestroy);
    RELEASING_CALL(RECORD_ARRAY, (uintptr_t)array, REAL(cuArrayDestroy)(array));
}

TFSHIM_EXPORT CUresult cuMipmappedArrayDestroy(CUmipmappedArray array) {
    REQUIRE_REAL(cuMipmappedArrayDestroy);
    RELEASING_CALL(RECORD_MIPMAPPED_ARRAY, (uintptr_t)array, REAL(cuMipmappedArrayDestroy)(array));
}

/* ---- allocations --------------------------------------------------------------------------------------------- */

TFSHIM_EXPORT CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes) {
    REQUIRE_REAL(cuMemAlloc_v2);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer, REAL(cuMemAlloc_v2)(pointer, bytes));
}

TFSHIM_EXPORT CUresult cuMemAlloc(CUdeviceptr_v1* pointer, unsigned int bytes) {
    REQUIRE_REAL(cuMemAlloc);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer, REAL(cuMemAlloc)(pointer, bytes));
}

TFSHIM_EXPORT CUresult cuMemAllocManaged(CUdeviceptr* pointer, size_t bytes, unsigned int flags) {
    REQUIRE_REAL(cuMemAllocManaged);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer, REAL(cuMemAllocManaged)(pointer, bytes, flags));
}

TFSHIM_EXPORT CUresult cuMemAllocAsync(CUdeviceptr* pointer, size_t bytes, CUstream stream) {
    REQUIRE_REAL(cuMemAllocAsync);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer, REAL(cuMemAllocAsync)(pointer, bytes, stream));
}

TFSHIM_EXPORT CUresult cuMemAllocAsync_ptsz(CUdeviceptr* pointer, size_t bytes, CUstream stream) {
    REQUIRE_REAL(cuMemAllocAsync_ptsz);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer,
                 REAL(cuMemAllocAsync_ptsz)(pointer, bytes, stream));
}

TFSHIM_EXPORT CUresult cuMemAllocFromPoolAsync(CUdeviceptr* pointer, size_t bytes, CUmemoryPool pool, CUstream stream) {
    REQUIRE_REAL(cuMemAllocFromPoolAsync);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer,
                 REAL(cuMemAllocFromPoolAsync)(pointer, bytes, pool, stream));
}

TFSHIM_EXPORT CUresult cuMemAllocFromPoolAsync_ptsz(CUdeviceptr* pointer, size_t bytes, CUmemoryPool pool,
                                                    CUstream stream) {
    REQUIRE_REAL(cuMemAllocFromPoolAsync_ptsz);
    CHARGED_CALL(current_device(), bytes, RECORD_POINTER, *pointer,
                 REAL(cuMemAllocFromPoolAsync_ptsz)(pointer, bytes, pool, stream));
}

/* VMM: only device-resident physical memory counts; the ordinal comes from the allocation's location. */
TFSHIM_EXPORT CUresult cuMemCreate(CUmemGenericAllocationHandle* handle, size_t bytes, const CUmemAllocationProp* prop,
                                   unsigned long long flags) {
    REQUIRE_REAL(cuMemCreate);
    if (prop == NULL || prop->location.type != CU_MEM_LOCATION_TYPE_DEVICE) {
        return REAL(cuMemCreate)(handle, bytes, prop, flags);
    }
    CHARGED_CALL(shim_device_for_ordinal(prop->location.id), bytes, RECORD_VMM_HANDLE, *handle,
                 REAL(cuMemCreate)(handle, bytes, prop, flags));
}

TFSHIM_EXPORT CUresult cuArrayCreate_v2(CUarray* array, const CUDA_ARRAY_DESCRIPTOR* descriptor) {
    REQUIRE_REAL(cuArrayCreate_v2);
    if (descriptor == NULL) return REAL(cuArrayCreate_v2)(array, descriptor);
    uint64_t bytes = array_bytes(descriptor->Width, descriptor->Height, 1, descriptor->Format, descriptor->NumChannels);
    CHARGED_CALL(current_device(), bytes, RECORD_ARRAY, (uintptr_t)*array, REAL(cuArrayCreate_v2)(array, descriptor));
}

TFSHIM_EXPORT CUresult cuArray3DCreate_v2(CUarray* array, const CUDA_ARRAY3D_DESCRIPTOR* descriptor) {
    REQUIRE_REAL(cuArray3DCreate_v2);
    if (descriptor == NULL) return REAL(cuArray3DCreate_v2)(array, descriptor);
    uint64_t bytes = array_bytes(descriptor->Width, descriptor->Height, descriptor->Depth, descriptor->Format,
                                 descriptor->NumChannels);
    CHARGED_CALL(current_device(), bytes, RECORD_ARRAY, (uintptr_t)*array, REAL(cuArray3DCreate_v2)(array, descriptor));
}

/* Every level halves width, height and (unless the array is layered) depth, never below 1. */
static uint64_t mipmapped_bytes(const CUDA_ARRAY3D_DESCRIPTOR* d, unsigned levels) {
    uint64_t total = 0;
    size_t width = d->Width, height = d->Height, depth = d->Depth;
    int layered = (d->Flags & 1u) != 0;
    unsigned counted = levels == 0 ? 1 : levels > 64 ? 64 : levels;   /* past 64 halvings every level is 1x1x1 */
    for (unsigned level = 0; level < counted; level++) {
        uint64_t bytes = array_bytes(width, height, depth, d->Format, d->NumChannels);
        total = total > UINT64_MAX - bytes ? UINT64_MAX : total + bytes;
        width = width > 1 ? width / 2 : width;
        height = height > 1 ? height / 2 : height;
        if (!layered) depth = depth > 1 ? depth / 2 : depth;
    }
    return total;
}

TFSHIM_EXPORT CUresult cuMipmappedArrayCreate(CUmipmappedArray* array, const CUDA_ARRAY3D_DESCRIPTOR* descriptor,
                                              unsigned int levels) {
    REQUIRE_REAL(cuMipmappedArrayCreate);
    if (descriptor == NULL) return REAL(cuMipmappedArrayCreate)(array, descriptor, levels);
    CHARGED_CALL(current_device(), mipmapped_bytes(descriptor, levels), RECORD_MIPMAPPED_ARRAY, (uintptr_t)*array,
                 REAL(cuMipmappedArrayCreate)(array, descriptor, levels));
}

/* The pitch is only known after the call: reserve width x height first, then the padding; if the padding does not
 * fit, the allocation is freed again and refused like any other over-limit request. */
TFSHIM_EXPORT CUresult cuMemAllocPitch_v2(CUdeviceptr* pointer, size_t* pitch, size_t width, size_t height,
                                          unsigned int element_bytes) {
    REQUIRE_REAL(cuMemAllocPitch_v2);
    tfshim_region_device* device = current_device();
    uint64_t minimum = saturating_multiply(width, height);
    if (shim_reserve(device, minimum) != 0) return CUDA_ERROR_OUT_OF_MEMORY;
    CUresult result = REAL(cuMemAllocPitch_v2)(pointer, pitch, width, height, element_bytes);
    if (result != CUDA_SUCCESS) { shim_release(device, minimum); return result; }
    uint64_t actual = saturating_multiply(*pitch, height);
    if (actual > minimum && shim_reserve(device, actual - minimum) != 0) {
        if (REAL(cuMemFree_v2) != NULL) REAL(cuMemFree_v2)(*pointer);
        shim_release(device, minimum);
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    shim_record_add(RECORD_POINTER, *pointer, device, actual > minimum ? actual : minimum);
    return result;
}

/* ---- memory queries ------------------------------------------------------------------------------------------ */

TFSHIM_EXPORT CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total_bytes) {
    REQUIRE_REAL(cuMemGetInfo_v2);
    size_t real_free = 0, real_total = 0;
    CUresult result = REAL(cuMemGetInfo_v2)(&real_free, &real_total);
    if (result != CUDA_SUCCESS) return result;
    uint64_t total, free_view;
    shim_memory_view(current_device(), real_total, real_free, &total, &free_view);
    if (free_bytes != NULL) *free_bytes = free_view;
    if (total_bytes != NULL) *total_bytes = total;
    return result;
}

TFSHIM_EXPORT CUresult cuMemGetInfo(unsigned int* free_bytes, unsigned int* total_bytes) {
    REQUIRE_REAL(cuMemGetInfo);
    unsigned int real_free = 0, real_total = 0;
    CUresult result = REAL(cuMemGetInfo)(&real_free, &real_total);
    if (result != CUDA_SUCCESS) return result;
    uint64_t total, free_view;
    shim_memory_view(current_device(), real_total, real_free, &total, &free_view);
    if (free_bytes != NULL) *free_bytes = (unsigned int)free_view;
    if (total_bytes != NULL) *total_bytes = (unsigned int)total;
    return result;
}

TFSHIM_EXPORT CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
    REQUIRE_REAL(cuDeviceTotalMem_v2);
    size_t real_total = 0;
    CUresult result = REAL(cuDeviceTotalMem_v2)(&real_total, device);
    if (result != CUDA_SUCCESS) return result;
    uint64_t total, free_view;
    shim_memory_view(shim_device_for_ordinal(device), real_total, real_total, &total, &free_view);
    if (bytes != NULL) *bytes = total;
    return result;
}

TFSHIM_EXPORT CUresult cuDeviceTotalMem(unsigned int* bytes, CUdevice device) {
    REQUIRE_REAL(cuDeviceTotalMem);
    unsigned int real_total = 0;
    CUresult result = REAL(cuDeviceTotalMem)(&real_total, device);
    if (result != CUDA_SUCCESS) return result;
    uint64_t total, free_view;
    shim_memory_view(shim_device_for_ordinal(device), real_total, real_total, &total, &free_view);
    if (bytes != NULL) *bytes = (unsigned int)total;
    return result;
}

/* ---- NVML ---------------------------------------------------------------------------------------------------- */

TFSHIM_EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* memory) {
    shim_ensure_nvml();
    if (REAL(nvmlDeviceGetMemoryInfo) == NULL) return 3;   /* NVML_ERROR_NOT_SUPPORTED */
    nvmlReturn_t result = REAL(nvmlDeviceGetMemoryInfo)(device, memory);
    if (result != NVML_SUCCESS || memory == NULL) return result;
    uint64_t total, free_view;
    shim_memory_view(shim_device_for_nvml(device), memory->total, memory->free, &total, &free_view);
    memory->total = total;
    memory->free = free_view;
    memory->used = total - free_view;
    return result;
}

TFSHIM_EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t* memory) {
    shim_ensure_nvml();
    if (REAL(nvmlDeviceGetMemoryInfo_v2) == NULL) return 3;
    nvmlReturn_t result = REAL(nvmlDeviceGetMemoryInfo_v2)(device, memory);
    if (result != NVML_SUCCESS || memory == NULL) return result;
    uint64_t total, free_view;
    tfshim_region_device* entry = shim_device_for_nvml(device);
    shim_memory_view(entry, memory->total, memory->free, &total, &free_view);
    if (entry != NULL) memory->reserved = 0;   /* the driver's reservation is part of the host's view, not ours */
    memory->total = total;
    memory->free = free_view;
    memory->used = total - free_view - memory->reserved;
    return result;
}

/* ---- launches ------------------------------------------------------------------------------------------------ */

#define LAUNCH_KERNEL_PARAMS CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, \
    unsigned bz, unsigned shared, CUstream stream, void** params, void** extra
#define COOPERATIVE_PARAMS CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, \
    unsigned bz, unsigned shared, CUstream stream, void** params

TFSHIM_EXPORT CUresult cuLaunchKernel(LAUNCH_KERNEL_PARAMS) {
    REQUIRE_REAL(cuLaunchKernel);
    shim_admit_launch();
    return REAL(cuLaunchKernel)(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra);
}

TFSHIM_EXPORT CUresult cuLaunchKernel_ptsz(LAUNCH_KERNEL_PARAMS) {
    REQUIRE_REAL(cuLaunchKernel_ptsz);
    shim_admit_launch();
    return REAL(cuLaunchKernel_ptsz)(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra);
}

TFSHIM_EXPORT CUresult cuLaunchKernelEx(const CUlaunchConfig* config, CUfunction f, void** params, void** extra) {
    REQUIRE_REAL(cuLaunchKernelEx);
    shim_admit_launch();
    return REAL(cuLaunchKernelEx)(config, f, params, extra);
}

TFSHIM_EXPORT CUresult cuLaunchKernelEx_ptsz(const CUlaunchConfig* config, CUfunction f, void** params, void** extra) {
    REQUIRE_REAL(cuLaunchKernelEx_ptsz);
    shim_admit_launch();
    return REAL(cuLaunchKernelEx_ptsz)(config, f, params, extra);
}

TFSHIM_EXPORT CUresult cuLaunchCooperativeKernel(COOPERATIVE_PARAMS) {
    REQUIRE_REAL(cuLaunchCooperativeKernel);
    shim_admit_launch();
    return REAL(cuLaunchCooperativeKernel)(f, gx, gy, gz, bx, by, bz, shared, stream, params);
}

TFSHIM_EXPORT CUresult cuLaunchCooperativeKernel_ptsz(COOPERATIVE_PARAMS) {
    REQUIRE_REAL(cuLaunchCooperativeKernel_ptsz);
    shim_admit_launch();
    return REAL(cuLaunchCooperativeKernel_ptsz)(f, gx, gy, gz, bx, by, bz, shared, stream, params);
}

TFSHIM_EXPORT CUresult cuGraphLaunch(CUgraphExec graph, CUstream stream) {
    REQUIRE_REAL(cuGraphLaunch);
    shim_admit_launch();
    return REAL(cuGraphLaunch)(graph, stream);
}

TFSHIM_EXPORT CUresult cuGraphLaunch_ptsz(CUgraphExec graph, CUstream stream) {
    REQUIRE_REAL(cuGraphLaunch_ptsz);
    shim_admit_launch();
    return REAL(cuGraphLaunch_ptsz)(graph, stream);
}

/* ---- symbol lookup: cuGetProcAddress and dlsym ------------------------------------------------------------------ */

static int hooked_name(const char* name) {
    for (int i = 0; i < HOOK_COUNT; i++) if (strcmp(shim_hooks[i].name, name) == 0) return 1;
    return 0;
}

/* The driver answered a hooked family with one of its exports that the shim does not hook (a newer _vN this shim
 * predates): its signature may differ from our wrapper's, so it passes through, and we say so, because allocations
 * through it would not be limited. */
static int is_unhooked_export(const char* family, void* found, int cuda_version) {
    char name[128];
    for (int version = 1; version <= 9; version++) {
        for (int stream = 0; stream < 3; stream++) {
            const char* stream_suffix = stream == 0 ? "" : stream == 1 ? "_ptsz" : "_ptds";
            int length = version == 1 ? snprintf(name, sizeof(name), "%s%s", family, stream_suffix)
                                      : snprintf(name, sizeof(name), "%s_v%d%s", family, version, stream_suffix);
            if (length >= (int)sizeof(name)) return 0;
            if (shim_cuda_symbol(name) != found || hooked_name(name)) continue;
            fprintf(stderr, "tfshim: the driver returned %s for %s (cudaVersion %d), which this shim does not hook; "
                            "passing it through unlimited\n", name, family, cuda_version);
            return 1;
        }
    }
    return 0;
}

/* What the driver handed out for (symbol, cudaVersion, flags), replaced by our wrapper when it is a hooked entry:
 * first by address (the driver returned one of its exports), else by the family table, keeping the per-thread-
 * default-stream choice the caller asked for. Symbols we do not hook come back untouched. */
static void* hooked_proc(const char* symbol, void* found, int cuda_version, cuuint64_t flags) {
    if (found == NULL || symbol == NULL) return found;
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (shim_hooks[i].family[0] != '\0' && shim_hooks[i].real == found) return shim_hooks[i].wrapper;
    }
    int family_hooked = 0;
    for (int i = 0; i < HOOK_COUNT && !family_hooked; i++) family_hooked = strcmp(shim_hooks[i].family, symbol) == 0;
    if (!family_hooked || is_unhooked_export(symbol, found, cuda_version)) return found;
    int per_thread = (flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) != 0;
    for (int pass = 0; pass < 2; pass++) {
        int best = -1;
        for (int i = 0; i < HOOK_COUNT; i++) {
            const shim_hook* hook = &shim_hooks[i];
            if (strcmp(hook->family, symbol) != 0 || hook->since > cuda_version || hook->real == NULL) continue;
            if (hook->per_thread_stream != (pass == 0 ? per_thread : 0)) continue;
            if (best < 0 || hook->since > shim_hooks[best].since) best = i;
        }
        if (best >= 0) return shim_hooks[best].wrapper;
        if (!per_thread) break;
    }
    return found;
}

TFSHIM_EXPORT CUresult cuGetProcAddress(const char* symbol, void** function, int cuda_version, cuuint64_t flags) {
    REQUIRE_REAL(cuGetProcAddress);
    CUresult result = REAL(cuGetProcAddress)(symbol, function, cuda_version, flags);
    if (result == CUDA_SUCCESS && function != NULL) *function = hooked_proc(symbol, *function, cuda_version, flags);
    return result;
}

TFSHIM_EXPORT CUresult cuGetProcAddress_v2(const char* symbol, void** function, int cuda_version, cuuint64_t flags,
                                           CUdriverProcAddressQueryResult* status) {
    REQUIRE_REAL(cuGetProcAddress_v2);
    CUresult result = REAL(cuGetProcAddress_v2)(symbol, function, cuda_version, flags, status);
    if (result == CUDA_SUCCESS && function != NULL) *function = hooked_proc(symbol, *function, cuda_version, flags);
    return result;
}

/* dlopen("libcuda.so.1") + dlsym(handle, "cu…") reaches the driver's export directly, past LD_PRELOAD; substitute
 * our wrapper exactly when the caller's handle resolved to the driver's own export of a hooked name. */
TFSHIM_EXPORT void* dlsym(void* handle, const char* name) {
    void* found = shim_real_dlsym(handle, name);
    if (found == NULL || shim_loading_driver || (name[0] != 'c' && name[0] != 'n')) return found;
    /* Name first, so a process that never uses CUDA is not made to load the driver by an unrelated lookup. */
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (strcmp(shim_hooks[i].name, name) != 0) continue;
        if (name[0] == 'c') shim_ensure_cuda(); else shim_ensure_nvml();
        return found == shim_hooks[i].real || found == shim_hooks[i].wrapper ? shim_hooks[i].wrapper : found;
    }
    return found;
}

shim_hook shim_hooks[HOOK_COUNT] = {
#define TFSHIM_HOOK(name, family, since, ptds) {#name, family, since, ptds, (void*)name, NULL},
#include "shim_hooks.h"
#undef TFSHIM_HOOK
};
