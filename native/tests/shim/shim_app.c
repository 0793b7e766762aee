/* The shim's test application: reaches the (fake) driver one of the ways real programs do and runs one scenario
 * against libtfshim (LD_PRELOAD'd by CTest). Usage: tfshim_app <mode> <scenario>
 *   mode: direct (linked), dlsym (dlopen + dlsym), gpa:<cudaVersion> (cuGetProcAddress), gpa2:<cudaVersion> (_v2)
 *   scenario: families | race | threads | sigkill | fork | exec | live | bucket-standalone | bucket-agent | bucket-stale |
 *             bucket-realtime | mig-uuid | passthrough | missing
 * Exits 0 when every check holds; a failing check prints its line. Limits come from the environment CTest sets
 * (TF_SHIM_VRAM_LIMIT=8Gi unless the scenario says otherwise). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cuda_types.h"
#include "tfshim_region.h"
#include "agent_region.h"

#define EXPORT __attribute__((visibility("default")))
#define GiB (1ull << 30)
#define MiB (1ull << 20)
#define CHECK(condition) do { if (!(condition)) { \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition); exit(1); } } while (0)
#define CHECK_EQ(expected, actual) do { unsigned long long e_ = (unsigned long long)(expected), \
    a_ = (unsigned long long)(actual); if (e_ != a_) { \
    fprintf(stderr, "%s:%d: %s = %llu, expected %s = %llu\n", __FILE__, __LINE__, #actual, a_, #expected, e_); \
    exit(1); } } while (0)

/* The driver entry points exercised, declared as the fake exports them (the fake is linked for "direct"). */
CUresult cuMemAlloc(CUdeviceptr_v1*, unsigned int);
CUresult cuMemAlloc_v2(CUdeviceptr*, size_t);
CUresult cuMemFree(CUdeviceptr_v1);
CUresult cuMemFree_v2(CUdeviceptr);
CUresult cuMemAllocPitch_v2(CUdeviceptr*, size_t*, size_t, size_t, unsigned int);
CUresult cuMemAllocManaged(CUdeviceptr*, size_t, unsigned int);
CUresult cuMemAllocAsync(CUdeviceptr*, size_t, CUstream);
CUresult cuMemAllocAsync_ptsz(CUdeviceptr*, size_t, CUstream);
CUresult cuMemAllocFromPoolAsync(CUdeviceptr*, size_t, CUmemoryPool, CUstream);
CUresult cuMemAllocFromPoolAsync_ptsz(CUdeviceptr*, size_t, CUmemoryPool, CUstream);
CUresult cuMemFreeAsync(CUdeviceptr, CUstream);
CUresult cuMemFreeAsync_ptsz(CUdeviceptr, CUstream);
CUresult cuMemCreate(CUmemGenericAllocationHandle*, size_t, const CUmemAllocationProp*, unsigned long long);
CUresult cuMemRelease(CUmemGenericAllocationHandle);
CUresult cuMemMap(CUdeviceptr, size_t, size_t, CUmemGenericAllocationHandle, unsigned long long);
CUresult cuMemUnmap(CUdeviceptr, size_t);
CUresult cuArrayCreate_v2(CUarray*, const CUDA_ARRAY_DESCRIPTOR*);
CUresult cuArray3DCreate_v2(CUarray*, const CUDA_ARRAY3D_DESCRIPTOR*);
CUresult cuArrayDestroy(CUarray);
CUresult cuMipmappedArrayCreate(CUmipmappedArray*, const CUDA_ARRAY3D_DESCRIPTOR*, unsigned int);
CUresult cuMipmappedArrayDestroy(CUmipmappedArray);
CUresult cuMemGetInfo(unsigned int*, unsigned int*);
CUresult cuMemGetInfo_v2(size_t*, size_t*);
CUresult cuDeviceTotalMem(unsigned int*, CUdevice);
CUresult cuDeviceTotalMem_v2(size_t*, CUdevice);
CUresult cuLaunchKernel(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream,
                        void**, void**);
CUresult cuLaunchKernel_ptsz(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                             CUstream, void**, void**);
CUresult cuLaunchKernelEx(const CUlaunchConfig*, CUfunction, void**, void**);
CUresult cuLaunchKernelEx_ptsz(const CUlaunchConfig*, CUfunction, void**, void**);
CUresult cuLaunchCooperativeKernel(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                                   CUstream, void**);
CUresult cuLaunchCooperativeKernel_ptsz(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                                        unsigned, CUstream, void**);
CUresult cuGraphLaunch(CUgraphExec, CUstream);
CUresult cuGraphLaunch_ptsz(CUgraphExec, CUstream);
CUresult cuGetProcAddress(const char*, void**, int, cuuint64_t);
CUresult cuGetProcAddress_v2(const char*, void**, int, cuuint64_t, CUdriverProcAddressQueryResult*);
CUresult cuCtxSetCurrent(CUcontext);
CUresult cuDevicePrimaryCtxRetain(CUcontext*, CUdevice);
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int, nvmlDevice_t*);
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t, nvmlMemory_t*);
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t, nvmlMemory_v2_t*);
uint64_t fakecuda_calls(const char*);
void fakecuda_fail_next_alloc(int);

/* One field per hooked entry point, filled the way the mode says. */
typedef struct {
    __typeof__(&cuMemAlloc) cuMemAlloc;
    __typeof__(&cuMemAlloc_v2) cuMemAlloc_v2;
    __typeof__(&cuMemFree) cuMemFree;
    __typeof__(&cuMemFree_v2) cuMemFree_v2;
    __typeof__(&cuMemAllocPitch_v2) cuMemAllocPitch_v2;
    __typeof__(&cuMemAllocManaged) cuMemAllocManaged;
    __typeof__(&cuMemAllocAsync) cuMemAllocAsync;
    __typeof__(&cuMemAllocAsync_ptsz) cuMemAllocAsync_ptsz;
    __typeof__(&cuMemAllocFromPoolAsync) cuMemAllocFromPoolAsync;
    __typeof__(&cuMemAllocFromPoolAsync_ptsz) cuMemAllocFromPoolAsync_ptsz;
    __typeof__(&cuMemFreeAsync) cuMemFreeAsync;
    __typeof__(&cuMemFreeAsync_ptsz) cuMemFreeAsync_ptsz;
    __typeof__(&cuMemCreate) cuMemCreate;
    __typeof__(&cuMemRelease) cuMemRelease;
    __typeof__(&cuMemMap) cuMemMap;
    __typeof__(&cuMemUnmap) cuMemUnmap;
    __typeof__(&cuArrayCreate_v2) cuArrayCreate_v2;
    __typeof__(&cuArray3DCreate_v2) cuArray3DCreate_v2;
    __typeof__(&cuArrayDestroy) cuArrayDestroy;
    __typeof__(&cuMipmappedArrayCreate) cuMipmappedArrayCreate;
    __typeof__(&cuMipmappedArrayDestroy) cuMipmappedArrayDestroy;
    __typeof__(&cuMemGetInfo) cuMemGetInfo;
    __typeof__(&cuMemGetInfo_v2) cuMemGetInfo_v2;
    __typeof__(&cuDeviceTotalMem) cuDeviceTotalMem;
    __typeof__(&cuDeviceTotalMem_v2) cuDeviceTotalMem_v2;
    __typeof__(&cuLaunchKernel) cuLaunchKernel;
    __typeof__(&cuLaunchKernel_ptsz) cuLaunchKernel_ptsz;
    __typeof__(&cuLaunchKernelEx) cuLaunchKernelEx;
    __typeof__(&cuLaunchKernelEx_ptsz) cuLaunchKernelEx_ptsz;
    __typeof__(&cuLaunchCooperativeKernel) cuLaunchCooperativeKernel;
    __typeof__(&cuLaunchCooperativeKernel_ptsz) cuLaunchCooperativeKernel_ptsz;
    __typeof__(&cuGraphLaunch) cuGraphLaunch;
    __typeof__(&cuGraphLaunch_ptsz) cuGraphLaunch_ptsz;
    __typeof__(&nvmlDeviceGetMemoryInfo) nvmlDeviceGetMemoryInfo;
    __typeof__(&nvmlDeviceGetMemoryInfo_v2) nvmlDeviceGetMemoryInfo_v2;
} driver_api;

static driver_api api;
static const char* mode;

/* ---- fake clock exported to the shim (tfshim_test_clock_ns / tfshim_test_sleep_ns) ------------------------------- */

static int fake_clock;
static _Atomic int64_t fake_now = 1000000000000ll;
static _Atomic int sleeps;
static void (*on_sleep)(void);

EXPORT int64_t tfshim_test_clock_ns(void) {
    if (fake_clock) return atomic_load(&fake_now);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000ll + now.tv_nsec;
}

EXPORT void tfshim_test_sleep_ns(int64_t ns) {
    if (!fake_clock) {
        struct timespec delay = {0, (long)ns};
        nanosleep(&delay, NULL);
        return;
    }
    atomic_fetch_add(&sleeps, 1);
    atomic_fetch_add(&fake_now, ns);
    if (on_sleep != NULL) on_sleep();
}

/* ---- resolving the api --------------------------------------------------------------------------------------- */

#define DIRECT(name) api.name = name
#define BY_DLSYM(handle, name) api.name = (__typeof__(api.name))dlsym(handle, #name)

static void resolve_direct(void) {
    DIRECT(cuMemAlloc); DIRECT(cuMemAlloc_v2); DIRECT(cuMemFree); DIRECT(cuMemFree_v2); DIRECT(cuMemAllocPitch_v2);
    DIRECT(cuMemAllocManaged); DIRECT(cuMemAllocAsync); DIRECT(cuMemAllocAsync_ptsz); DIRECT(cuMemAllocFromPoolAsync);
    DIRECT(cuMemAllocFromPoolAsync_ptsz); DIRECT(cuMemFreeAsync); DIRECT(cuMemFreeAsync_ptsz); DIRECT(cuMemCreate);
    DIRECT(cuMemRelease); DIRECT(cuMemMap); DIRECT(cuMemUnmap); DIRECT(cuArrayCreate_v2); DIRECT(cuArray3DCreate_v2); DIRECT(cuArrayDestroy);
    DIRECT(cuMipmappedArrayCreate); DIRECT(cuMipmappedArrayDestroy); DIRECT(cuMemGetInfo); DIRECT(cuMemGetInfo_v2);
    DIRECT(cuDeviceTotalMem); DIRECT(cuDeviceTotalMem_v2); DIRECT(cuLaunchKernel); DIRECT(cuLaunchKernel_ptsz);
    DIRECT(cuLaunchKernelEx); DIRECT(cuLaunchKernelEx_ptsz); DIRECT(cuLaunchCooperativeKernel);
    DIRECT(cuLaunchCooperativeKernel_ptsz); DIRECT(cuGraphLaunch); DIRECT(cuGraphLaunch_ptsz);
    DIRECT(nvmlDeviceGetMemoryInfo); DIRECT(nvmlDeviceGetMemoryInfo_v2);
}

static void resolve_dlsym(void) {
    void* cuda = dlopen("libcuda.so.1", RTLD_NOW);
    void* nvml = dlopen("libnvidia-ml.so.1", RTLD_NOW);
    CHECK(cuda != NULL && nvml != NULL);
    BY_DLSYM(cuda, cuMemAlloc); BY_DLSYM(cuda, cuMemAlloc_v2); BY_DLSYM(cuda, cuMemFree); BY_DLSYM(cuda, cuMemFree_v2);
    BY_DLSYM(cuda, cuMemAllocPitch_v2); BY_DLSYM(cuda, cuMemAllocManaged); BY_DLSYM(cuda, cuMemAllocAsync);
    BY_DLSYM(cuda, cuMemAllocAsync_ptsz); BY_DLSYM(cuda, cuMemAllocFromPoolAsync);
    BY_DLSYM(cuda, cuMemAllocFromPoolAsync_ptsz); BY_DLSYM(cuda, cuMemFreeAsync); BY_DLSYM(cuda, cuMemFreeAsync_ptsz);
    BY_DLSYM(cuda, cuMemCreate); BY_DLSYM(cuda, cuMemRelease); BY_DLSYM(cuda, cuMemMap); BY_DLSYM(cuda, cuMemUnmap); BY_DLSYM(cuda, cuArrayCreate_v2);
    BY_DLSYM(cuda, cuArray3DCreate_v2); BY_DLSYM(cuda, cuArrayDestroy); BY_DLSYM(cuda, cuMipmappedArrayCreate);
    BY_DLSYM(cuda, cuMipmappedArrayDestroy); BY_DLSYM(cuda, cuMemGetInfo); BY_DLSYM(cuda, cuMemGetInfo_v2);
    BY_DLSYM(cuda, cuDeviceTotalMem); BY_DLSYM(cuda, cuDeviceTotalMem_v2); BY_DLSYM(cuda, cuLaunchKernel);
    BY_DLSYM(cuda, cuLaunchKernel_ptsz); BY_DLSYM(cuda, cuLaunchKernelEx); BY_DLSYM(cuda, cuLaunchKernelEx_ptsz);
    BY_DLSYM(cuda, cuLaunchCooperativeKernel); BY_DLSYM(cuda, cuLaunchCooperativeKernel_ptsz);
    BY_DLSYM(cuda, cuGraphLaunch); BY_DLSYM(cuda, cuGraphLaunch_ptsz);
    BY_DLSYM(nvml, nvmlDeviceGetMemoryInfo); BY_DLSYM(nvml, nvmlDeviceGetMemoryInfo_v2);
}

static int gpa_version;
static int gpa_v2;
static CUresult (*gpa1)(const char*, void**, int, cuuint64_t);
static CUresult (*gpa2)(const char*, void**, int, cuuint64_t, CUdriverProcAddressQueryResult*);

/* As CUDA >= 11.3 runtimes do: only cuGetProcAddress comes from dlsym, then every entry point by its base name. */
static void* by_proc(const char* family, int per_thread) {
    void* function = NULL;
    cuuint64_t flags = per_thread ? CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM : CU_GET_PROC_ADDRESS_LEGACY_STREAM;
    CUresult result;
    if (gpa_v2) {
        CUdriverProcAddressQueryResult status = -1;
        result = gpa2(family, &function, gpa_version, flags, &status);
        CHECK(result != CUDA_SUCCESS || status == CU_GET_PROC_ADDRESS_SUCCESS);
    } else {
        result = gpa1(family, &function, gpa_version, flags);
    }
    return result == CUDA_SUCCESS ? function : NULL;
}
#define BY_PROC(field, family, per_thread) api.field = (__typeof__(api.field))by_proc(family, per_thread)

static void resolve_gpa(void) {
    void* cuda = dlopen("libcuda.so.1", RTLD_NOW);
    CHECK(cuda != NULL);
    if (gpa_v2) {
        gpa2 = (__typeof__(gpa2))dlsym(cuda, "cuGetProcAddress_v2");
        CHECK(gpa2 != NULL && (void*)gpa2 == (void*)cuGetProcAddress_v2);   /* our wrapper, not the driver's */
        /* Asking the driver for cuGetProcAddress itself must hand back a hooked one too. */
        void* self = NULL;
        CHECK_EQ(CUDA_SUCCESS, gpa2("cuGetProcAddress", &self, gpa_version, 0, NULL));
        CHECK(self == (gpa_version >= 12000 ? (void*)cuGetProcAddress_v2 : (void*)cuGetProcAddress));
    } else {
        gpa1 = (__typeof__(gpa1))dlsym(cuda, "cuGetProcAddress");
        CHECK(gpa1 != NULL && (void*)gpa1 == (void*)cuGetProcAddress);
    }
    /* The 32-bit v1 entry points are unreachable through cuGetProcAddress for cudaVersion >= 3020. */
    BY_PROC(cuMemAlloc_v2, "cuMemAlloc", 0); BY_PROC(cuMemFree_v2, "cuMemFree", 0);
    BY_PROC(cuMemAllocPitch_v2, "cuMemAllocPitch", 0); BY_PROC(cuMemAllocManaged, "cuMemAllocManaged", 0);
    BY_PROC(cuMemAllocAsync, "cuMemAllocAsync", 0); BY_PROC(cuMemAllocAsync_ptsz, "cuMemAllocAsync", 1);
    BY_PROC(cuMemAllocFromPoolAsync, "cuMemAllocFromPoolAsync", 0);
    BY_PROC(cuMemAllocFromPoolAsync_ptsz, "cuMemAllocFromPoolAsync", 1);
    BY_PROC(cuMemFreeAsync, "cuMemFreeAsync", 0); BY_PROC(cuMemFreeAsync_ptsz, "cuMemFreeAsync", 1);
    BY_PROC(cuMemCreate, "cuMemCreate", 0); BY_PROC(cuMemRelease, "cuMemRelease", 0);
    BY_PROC(cuMemMap, "cuMemMap", 0); BY_PROC(cuMemUnmap, "cuMemUnmap", 0);
    BY_PROC(cuArrayCreate_v2, "cuArrayCreate", 0); BY_PROC(cuArray3DCreate_v2, "cuArray3DCreate", 0);
    BY_PROC(cuArrayDestroy, "cuArrayDestroy", 0); BY_PROC(cuMipmappedArrayCreate, "cuMipmappedArrayCreate", 0);
    BY_PROC(cuMipmappedArrayDestroy, "cuMipmappedArrayDestroy", 0); BY_PROC(cuMemGetInfo_v2, "cuMemGetInfo", 0);
    BY_PROC(cuDeviceTotalMem_v2, "cuDeviceTotalMem", 0); BY_PROC(cuLaunchKernel, "cuLaunchKernel", 0);
    BY_PROC(cuLaunchKernel_ptsz, "cuLaunchKernel", 1); BY_PROC(cuLaunchKernelEx, "cuLaunchKernelEx", 0);
    BY_PROC(cuLaunchKernelEx_ptsz, "cuLaunchKernelEx", 1);
    BY_PROC(cuLaunchCooperativeKernel, "cuLaunchCooperativeKernel", 0);
    BY_PROC(cuLaunchCooperativeKernel_ptsz, "cuLaunchCooperativeKernel", 1);
    BY_PROC(cuGraphLaunch, "cuGraphLaunch", 0); BY_PROC(cuGraphLaunch_ptsz, "cuGraphLaunch", 1);
    /* Every hooked entry point reached this way must be the shim's wrapper (the exported symbol of that name). */
    CHECK(api.cuMemAlloc_v2 == cuMemAlloc_v2 && api.cuLaunchKernel_ptsz == cuLaunchKernel_ptsz);
    CHECK(api.cuMemCreate == cuMemCreate && api.cuGraphLaunch_ptsz == cuGraphLaunch_ptsz);
    /* The fake answers cuMemAllocManaged with an internal entry, not its export: the family table still wraps it. */
    CHECK(api.cuMemAllocManaged == cuMemAllocManaged);
    api.nvmlDeviceGetMemoryInfo = nvmlDeviceGetMemoryInfo;
    api.nvmlDeviceGetMemoryInfo_v2 = nvmlDeviceGetMemoryInfo_v2;
}

static void resolve(void) {
    if (strcmp(mode, "direct") == 0) { resolve_direct(); return; }
    if (strcmp(mode, "dlsym") == 0) { resolve_dlsym(); return; }
    if (strncmp(mode, "gpa:", 4) == 0 || strncmp(mode, "gpa2:", 5) == 0) {
        gpa_v2 = mode[3] == '2';
        gpa_version = atoi(strchr(mode, ':') + 1);
        resolve_gpa();
        return;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    exit(2);
}

/* ---- the region, read the way the agent will --------------------------------------------------------------- */

static tfshim_region* region_map(void) {
    const char* path = getenv("TF_SHIM_STATE");
    CHECK(path != NULL);
    int fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    void* mapped = mmap(NULL, sizeof(tfshim_region), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    CHECK(mapped != MAP_FAILED);
    tfshim_region* region = mapped;
    CHECK_EQ(TFSHIM_REGION_MAGIC, region->header.magic);
    return region;
}

static uint64_t used_bytes(int device) {
    return atomic_load((_Atomic uint64_t*)&region_map()->devices[device].used_bytes);
}

static void use_device(int ordinal) {
    CUcontext context;
    CHECK_EQ(CUDA_SUCCESS, cuDevicePrimaryCtxRetain(&context, ordinal));
    CHECK_EQ(CUDA_SUCCESS, cuCtxSetCurrent(context));
}

/* ---- allocation families ----------------------------------------------------------------------------------- */

typedef struct {
    const char* name;            /* the driver export the family's allocation reaches */
    CUresult (*allocate)(uint64_t* handle);   /* allocates 1 GiB */
    CUresult (*release)(uint64_t handle);
} family;

static CUresult alloc_v2(uint64_t* h) { CUdeviceptr p; CUresult r = api.cuMemAlloc_v2(&p, GiB); *h = p; return r; }
static CUresult free_v2(uint64_t h) { return api.cuMemFree_v2(h); }
static CUresult alloc_v1(uint64_t* h) { CUdeviceptr_v1 p; CUresult r = api.cuMemAlloc(&p, (unsigned)GiB); *h = p; return r; }
static CUresult free_v1(uint64_t h) { return api.cuMemFree((CUdeviceptr_v1)h); }
static CUresult alloc_pitch(uint64_t* h) {
    CUdeviceptr p; size_t pitch = 0;
    CUresult r = api.cuMemAllocPitch_v2(&p, &pitch, 1024 * 1024, 1024, 4);
    *h = p;
    return r;
}
static CUresult alloc_managed(uint64_t* h) { CUdeviceptr p; CUresult r = api.cuMemAllocManaged(&p, GiB, 1); *h = p; return r; }
static CUresult alloc_async(uint64_t* h) { CUdeviceptr p; CUresult r = api.cuMemAllocAsync(&p, GiB, NULL); *h = p; return r; }
static CUresult free_async(uint64_t h) { return api.cuMemFreeAsync(h, NULL); }
static CUresult alloc_async_ptsz(uint64_t* h) { CUdeviceptr p; CUresult r = api.cuMemAllocAsync_ptsz(&p, GiB, NULL); *h = p; return r; }
static CUresult free_async_ptsz(uint64_t h) { return api.cuMemFreeAsync_ptsz(h, NULL); }
static CUresult alloc_pool(uint64_t* h) { CUdeviceptr p; CUresult r = api.cuMemAllocFromPoolAsync(&p, GiB, NULL, NULL); *h = p; return r; }
static CUresult alloc_pool_ptsz(uint64_t* h) {
    CUdeviceptr p; CUresult r = api.cuMemAllocFromPoolAsync_ptsz(&p, GiB, NULL, NULL); *h = p; return r;
}
static CUresult alloc_vmm(uint64_t* h) {
    CUmemAllocationProp prop;
    memset(&prop, 0, sizeof(prop));
    prop.type = 1;
    prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
    prop.location.id = 0;
    CUmemGenericAllocationHandle handle;
    CUresult r = api.cuMemCreate(&handle, GiB, &prop, 0);
    *h = handle;
    return r;
}
static CUresult release_vmm(uint64_t h) { return api.cuMemRelease(h); }
static CUresult alloc_array(uint64_t* h) {
    CUDA_ARRAY_DESCRIPTOR d = {16384, 16384, 0x20, 1};   /* 16384 x 16384 floats = 1 GiB */
    CUarray a; CUresult r = api.cuArrayCreate_v2(&a, &d); *h = (uintptr_t)a; return r;
}
static CUresult alloc_array3d(uint64_t* h) {
    CUDA_ARRAY3D_DESCRIPTOR d = {1024, 1024, 256, 0x20, 1, 0};   /* 1024 x 1024 x 256 floats = 1 GiB */
    CUarray a; CUresult r = api.cuArray3DCreate_v2(&a, &d); *h = (uintptr_t)a; return r;
}
static CUresult destroy_array(uint64_t h) { return api.cuArrayDestroy((CUarray)(uintptr_t)h); }
static CUresult alloc_mipmapped(uint64_t* h) {
    CUDA_ARRAY3D_DESCRIPTOR d = {1024, 1024, 256, 0x20, 1, 0};
    CUmipmappedArray a; CUresult r = api.cuMipmappedArrayCreate(&a, &d, 1); *h = (uintptr_t)a; return r;
}
static CUresult destroy_mipmapped(uint64_t h) { return api.cuMipmappedArrayDestroy((CUmipmappedArray)(uintptr_t)h); }

static const family families[] = {
    {"cuMemAlloc_v2", alloc_v2, free_v2},
    {"cuMemAlloc", alloc_v1, free_v1},
    {"cuMemAllocPitch_v2", alloc_pitch, free_v2},
    {"cuMemAllocManaged", alloc_managed, free_v2},
    {"cuMemAllocAsync", alloc_async, free_async},
    {"cuMemAllocAsync_ptsz", alloc_async_ptsz, free_async_ptsz},
    {"cuMemAllocFromPoolAsync", alloc_pool, free_async},
    {"cuMemAllocFromPoolAsync_ptsz", alloc_pool_ptsz, free_async_ptsz},
    {"cuMemCreate", alloc_vmm, release_vmm},
    {"cuArrayCreate_v2", alloc_array, destroy_array},
    {"cuArray3DCreate_v2", alloc_array3d, destroy_array},
    {"cuMipmappedArrayCreate", alloc_mipmapped, destroy_mipmapped},
};

static int family_reachable(const family* f) {
    return !(f->allocate == alloc_v1 && api.cuMemAlloc == NULL);
}

static void check_memory_view(uint64_t total, uint64_t free_bytes) {
    size_t cuda_free = 0, cuda_total = 0;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemGetInfo_v2(&cuda_free, &cuda_total));
    CHECK_EQ(total, cuda_total);
    CHECK_EQ(free_bytes, cuda_free);
    size_t device_total = 0;
    CHECK_EQ(CUDA_SUCCESS, api.cuDeviceTotalMem_v2(&device_total, 0));
    CHECK_EQ(total, device_total);
    nvmlDevice_t device;
    CHECK_EQ(NVML_SUCCESS, nvmlDeviceGetHandleByIndex_v2(0, &device));
    nvmlMemory_t memory;
    CHECK_EQ(NVML_SUCCESS, api.nvmlDeviceGetMemoryInfo(device, &memory));
    CHECK_EQ(total, memory.total);
    CHECK_EQ(free_bytes, memory.free);
    CHECK_EQ(total - free_bytes, memory.used);   /* used + free = total: never an underflowed 18 EB */
    nvmlMemory_v2_t memory2;
    memory2.version = 2;
    CHECK_EQ(NVML_SUCCESS, api.nvmlDeviceGetMemoryInfo_v2(device, &memory2));
    CHECK_EQ(total, memory2.total);
    CHECK_EQ(free_bytes, memory2.free);
}

/* 8 GiB limit, 1 GiB per call: exactly 8 succeed, the 9th is CUDA_ERROR_OUT_OF_MEMORY and never reaches the
 * driver (reservation happens before the call); freeing everything returns the view to 8 GiB free. */
static void scenario_families(void) {
    check_memory_view(8 * GiB, 8 * GiB);
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        const family* f = &families[i];
        if (!family_reachable(f)) continue;
        uint64_t handles[16];
        uint64_t calls_before = fakecuda_calls(f->name);
        int accepted = 0;
        CUresult last = CUDA_SUCCESS;
        while (accepted < 16 && (last = f->allocate(&handles[accepted])) == CUDA_SUCCESS) accepted++;
        if (accepted != 8 || last != CUDA_ERROR_OUT_OF_MEMORY) {
            fprintf(stderr, "%s: %d accepted, last result %d (expected 8 and 2)\n", f->name, accepted, last);
            exit(1);
        }
        CHECK_EQ(8, fakecuda_calls(f->name) - calls_before);
        CHECK_EQ(8 * GiB, used_bytes(0));
        check_memory_view(8 * GiB, 0);
        for (int k = 0; k < accepted; k++) CHECK_EQ(CUDA_SUCCESS, f->release(handles[k]));
        CHECK_EQ(0, used_bytes(0));
        /* The driver refusing rolls the reservation back. */
        fakecuda_fail_next_alloc(CUDA_ERROR_INVALID_VALUE);
        uint64_t handle;
        CHECK_EQ(CUDA_ERROR_INVALID_VALUE, f->allocate(&handle));
        CHECK_EQ(0, used_bytes(0));
    }
    check_memory_view(8 * GiB, 8 * GiB);

    /* Pitch padding is charged: 1000-byte rows padded to 1024 x 1024 rows = 1 MiB. */
    CUdeviceptr pointer;
    size_t pitch = 0;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAllocPitch_v2(&pointer, &pitch, 1000, 1024, 4));
    CHECK_EQ(1024, pitch);
    CHECK_EQ(1024 * 1024, used_bytes(0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemFree_v2(pointer));
    /* Mipmapped levels add up: 64^3 + 32^3 + 16^3 floats = (262144 + 32768 + 4096) x 4 = 1196032 bytes. */
    CUDA_ARRAY3D_DESCRIPTOR d = {64, 64, 64, 0x20, 1, 0};
    CUmipmappedArray mip;
    CHECK_EQ(CUDA_SUCCESS, api.cuMipmappedArrayCreate(&mip, &d, 3));
    CHECK_EQ(1196032, used_bytes(0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMipmappedArrayDestroy(mip));
    CHECK_EQ(0, used_bytes(0));

    /* VMM handles released while mapped keep their charge until the last unmap over them (the pages live until
     * then): two 1 GiB handles mapped side by side at 0x10000000, released, then unmapped with one call. */
    uint64_t first, second;
    CHECK_EQ(CUDA_SUCCESS, alloc_vmm(&first));
    CHECK_EQ(CUDA_SUCCESS, alloc_vmm(&second));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemMap(0x10000000ull, GiB, 0, first, 0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemMap(0x10000000ull + GiB, GiB, 0, second, 0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemRelease(first));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemRelease(second));
    CHECK_EQ(2 * GiB, used_bytes(0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemUnmap(0x10000000ull, 2 * GiB));
    CHECK_EQ(0, used_bytes(0));
    /* Unmapped first, released after: the charge goes with the release. */
    CHECK_EQ(CUDA_SUCCESS, alloc_vmm(&first));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemMap(0x20000000ull, GiB, 0, first, 0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemUnmap(0x20000000ull, GiB));
    CHECK_EQ(GiB, used_bytes(0));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemRelease(first));
    CHECK_EQ(0, used_bytes(0));

    /* Device 1 has its own 8 GiB, independent of device 0's. */
    CUdeviceptr held;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&held, 4 * GiB));
    use_device(1);
    CUdeviceptr on_one;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&on_one, 8 * GiB));
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&pointer, 1));
    CHECK_EQ(8 * GiB, used_bytes(1));
    CHECK_EQ(CUDA_SUCCESS, api.cuMemFree_v2(on_one));
    use_device(0);
    CHECK_EQ(CUDA_SUCCESS, api.cuMemFree_v2(held));

    /* Launches reach the variant asked for (per-thread-stream flag preserved) and are seen by the shim. */
    struct { const char* name; CUresult (*launch)(void); } launches[] = {
        {"cuLaunchKernel", NULL}, {"cuLaunchKernel_ptsz", NULL}, {"cuLaunchKernelEx", NULL},
        {"cuLaunchKernelEx_ptsz", NULL}, {"cuLaunchCooperativeKernel", NULL}, {"cuLaunchCooperativeKernel_ptsz", NULL},
        {"cuGraphLaunch", NULL}, {"cuGraphLaunch_ptsz", NULL}};
    tfshim_region* region = region_map();
    for (size_t i = 0; i < sizeof(launches) / sizeof(launches[0]); i++) {
        /* cuLaunchKernelEx exists from cudaVersion 11060: older callers cannot reach it at all. */
        if ((i == 2 || i == 3) && gpa_version != 0 && gpa_version < 11060) {
            CHECK(api.cuLaunchKernelEx == NULL && api.cuLaunchKernelEx_ptsz == NULL);
            continue;
        }
        uint64_t driver_before = fakecuda_calls(launches[i].name);
        uint64_t shim_before = region->devices[0].launch_count;
        CUresult result;
        switch (i) {
            case 0: result = api.cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL); break;
            case 1: result = api.cuLaunchKernel_ptsz(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL); break;
            case 2: result = api.cuLaunchKernelEx(NULL, NULL, NULL, NULL); break;
            case 3: result = api.cuLaunchKernelEx_ptsz(NULL, NULL, NULL, NULL); break;
            case 4: result = api.cuLaunchCooperativeKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL); break;
            case 5: result = api.cuLaunchCooperativeKernel_ptsz(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL); break;
            case 6: result = api.cuGraphLaunch(NULL, NULL); break;
            default: result = api.cuGraphLaunch_ptsz(NULL, NULL); break;
        }
        CHECK_EQ(CUDA_SUCCESS, result);
        if (fakecuda_calls(launches[i].name) != driver_before + 1) {
            fprintf(stderr, "%s did not reach the driver's %s\n", mode, launches[i].name);
            exit(1);
        }
        CHECK_EQ(shim_before + 1, region->devices[0].launch_count);
    }
}

/* ---- multi-process scenarios ------------------------------------------------------------------------------- */

/* N processes start together and each takes 512 MiB blocks until refused: together they hold exactly the limit. */
static void scenario_race(void) {
    enum { PROCESSES = 8 };
    int start[2], results[2], hold[2];
    CHECK(pipe(start) == 0 && pipe(results) == 0 && pipe(hold) == 0);
    api.cuMemGetInfo_v2(&(size_t){0}, &(size_t){0});   /* create the region before the children race */
    pid_t children[PROCESSES];
    for (int i = 0; i < PROCESSES; i++) {
        children[i] = fork();
        CHECK(children[i] >= 0);
        if (children[i] == 0) {
            char go;
            close(start[1]);
            close(hold[1]);
            if (read(start[0], &go, 1) != 1) _exit(3);
            int count = 0;
            CUdeviceptr p;
            CUresult r;
            while ((r = api.cuMemAlloc_v2(&p, 512 * MiB)) == CUDA_SUCCESS) count++;
            if (r != CUDA_ERROR_OUT_OF_MEMORY) _exit(4);
            if (write(results[1], &count, sizeof(count)) != sizeof(count)) _exit(5);
            if (read(hold[0], &go, 1) != 0) _exit(6);   /* hold the memory until the parent has counted */
            exit(0);   /* a normal exit returns the slot */
        }
    }
    close(start[0]);
    CHECK(write(start[1], "gggggggg", PROCESSES) == PROCESSES);
    int total = 0;
    for (int i = 0; i < PROCESSES; i++) {
        int count = 0;
        CHECK(read(results[0], &count, sizeof(count)) == sizeof(count));
        total += count;
    }
    CHECK_EQ(16, total);   /* 8 GiB / 512 MiB: no overshoot, no lost reservation */
    CHECK_EQ(8 * GiB, used_bytes(0));
    close(start[1]);
    close(hold[1]);
    for (int i = 0; i < PROCESSES; i++) {
        int status = 0;
        CHECK(waitpid(children[i], &status, 0) == children[i]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    CHECK_EQ(0, used_bytes(0));   /* exiting processes gave their slots back */
}

/* Threads of one process racing: the process claims one slot, and together they hold exactly the limit. */
static _Atomic int thread_blocks;
static void* allocate_until_refused(void* unused) {
    (void)unused;
    CUdeviceptr p;
    CUresult r;
    while ((r = api.cuMemAlloc_v2(&p, 256 * MiB)) == CUDA_SUCCESS) atomic_fetch_add(&thread_blocks, 1);
    return r == CUDA_ERROR_OUT_OF_MEMORY ? NULL : (void*)1;
}

static void scenario_threads(void) {
    enum { THREADS = 8 };
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&threads[i], NULL, allocate_until_refused, NULL) == 0);
    for (int i = 0; i < THREADS; i++) {
        void* failed = NULL;
        CHECK(pthread_join(threads[i], &failed) == 0 && failed == NULL);
    }
    CHECK_EQ(32, thread_blocks);   /* 8 GiB / 256 MiB */
    tfshim_region* region = region_map();
    int owned = 0;
    for (uint32_t i = 0; i < TFSHIM_MAX_SLOTS; i++) {
        if (region->slots[i].pid != getpid()) continue;
        owned++;
        CHECK_EQ(8 * GiB, region->slots[i].bytes[0]);
    }
    CHECK_EQ(1, owned);
}

/* A process killed with SIGKILL cannot run its destructor; the next refused reservation reclaims its slot. */
static void scenario_sigkill(void) {
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        CUdeviceptr p;
        if (api.cuMemAlloc_v2(&p, 6 * GiB) != CUDA_SUCCESS) _exit(3);
        if (write(ready[1], "r", 1) != 1) _exit(4);
        for (;;) pause();
    }
    char byte;
    CHECK(read(ready[0], &byte, 1) == 1);
    CHECK_EQ(6 * GiB, used_bytes(0));
    CHECK(kill(child, SIGKILL) == 0);
    CHECK(waitpid(child, NULL, 0) == child);
    CHECK_EQ(6 * GiB, used_bytes(0));        /* still charged: nobody has noticed yet */
    CUdeviceptr p;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, 4 * GiB));   /* 6 + 4 > 8: sweep, reclaim, retry */
    CHECK_EQ(4 * GiB, used_bytes(0));
    CHECK_EQ(6 * GiB, region_map()->devices[0].reclaimed_bytes);

    /* A reused pid: the slot names a live process (our parent) with another start time, so its owner is gone. */
    tfshim_region* region = region_map();
    tfshim_region_slot* stale = &region->slots[TFSHIM_MAX_SLOTS - 1];
    struct stat own_namespace;
    CHECK(stat("/proc/self/ns/pid", &own_namespace) == 0);
    stale->pid_namespace = (uint32_t)own_namespace.st_ino;
    stale->start_time = 1;
    stale->bytes[0] = 3 * GiB;
    atomic_fetch_add((_Atomic uint64_t*)&region->devices[0].used_bytes, 3 * GiB);
    atomic_store((_Atomic int32_t*)&stale->pid, (int32_t)getppid());
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, 4 * GiB));   /* 4 + 3 + 4 > 8: the stale 3 GiB go back */
    CHECK_EQ(8 * GiB, used_bytes(0));
    CHECK_EQ(0, stale->pid);
    CHECK_EQ(9 * GiB, region->devices[0].reclaimed_bytes);
}

/* Field 22 of /proc/self/stat, counted independently of the shim's parser. */
static uint64_t own_start_time(void) {
    char text[1024];
    FILE* file = fopen("/proc/self/stat", "r");
    CHECK(file != NULL && fgets(text, sizeof(text), file) != NULL);
    fclose(file);
    char* field = strrchr(text, ')') + 2;   /* field 3 */
    for (int index = 3; index < 22; index++) field = strchr(field, ' ') + 1;
    return strtoull(field, NULL, 10);
}

/* A forked child shares the limit, owns a slot of its own and none of its parent's allocations. */
static void scenario_fork(void) {
    CUdeviceptr parent_block;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&parent_block, 3 * GiB));
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        size_t free_bytes = 0, total = 0;
        CHECK_EQ(CUDA_SUCCESS, api.cuMemGetInfo_v2(&free_bytes, &total));
        CHECK_EQ(5 * GiB, free_bytes);
        CUdeviceptr p;
        for (int i = 0; i < 5; i++) CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, GiB));
        CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, GiB));
        int owners = 0;
        tfshim_region* region = region_map();
        for (uint32_t i = 0; i < TFSHIM_MAX_SLOTS; i++) {
            if (region->slots[i].pid == getpid()) {
                owners++;
                CHECK_EQ(5 * GiB, region->slots[i].bytes[0]);
                CHECK_EQ(own_start_time(), region->slots[i].start_time);   /* tells a reused pid from its owner */
            }
            if (region->slots[i].pid == getppid()) CHECK_EQ(3 * GiB, region->slots[i].bytes[0]);
        }
        CHECK_EQ(1, owners);
        CHECK_EQ(CUDA_SUCCESS, api.cuMemFree_v2(parent_block));   /* the driver's call; not our bytes to return */
        CHECK_EQ(8 * GiB, used_bytes(0));
        exit(0);   /* exit, not _exit: the shim's destructor gives the slot back, as in any normal exit */
    }
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(3 * GiB, used_bytes(0));
    CUdeviceptr p;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, 5 * GiB));
}

/* exec() replaces the image (and the driver frees its memory) without running destructors: the new image's shim
 * finds the old slot by pid and start time and returns its bytes. */
static void scenario_exec(const char* self) {
    CUdeviceptr p;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, 2 * GiB));
    CHECK_EQ(2 * GiB, used_bytes(0));
    execl(self, self, mode, "exec-after", (char*)NULL);
    CHECK(!"execl failed");
}

static void scenario_exec_after(void) {
    CHECK_EQ(2 * GiB, used_bytes(0));   /* still charged to the pre-exec slot */
    CUdeviceptr p;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, GiB));
    CHECK_EQ(GiB, used_bytes(0));
    CHECK_EQ(2 * GiB, region_map()->devices[0].reclaimed_bytes);
}

/* The agent lowers, raises and adds overhead to the limit while the process runs. */
static void scenario_live(void) {
    CUdeviceptr blocks[4], p;
    for (int i = 0; i < 4; i++) CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&blocks[i], GiB));
    tfshim_region* region = region_map();
    atomic_store((_Atomic uint64_t*)&region->devices[0].memory_hard_bytes, 2 * GiB);
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, 1));
    check_memory_view(2 * GiB, 0);           /* 4 GiB used of 2: free is 0, not 2^64 - 2 GiB */
    CHECK_EQ(CUDA_SUCCESS, api.cuMemFree_v2(blocks[0]));
    check_memory_view(2 * GiB, 0);
    atomic_store((_Atomic uint64_t*)&region->devices[0].memory_hard_bytes, 16 * GiB);
    check_memory_view(16 * GiB, 13 * GiB);
    atomic_store((_Atomic uint64_t*)&region->devices[0].overhead_bytes, GiB);   /* contexts the agent measured */
    check_memory_view(16 * GiB, 12 * GiB);
    for (int i = 0; i < 12; i++) CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, GiB));
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, 1));
    CHECK(region->devices[0].oom_refusals >= 2);
}

/* ---- compute ----------------------------------------------------------------------------------------------- */

static void launch_once(void) { CHECK_EQ(CUDA_SUCCESS, api.cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL)); }

/* Standalone: 10 % of TF_SHIM_LAUNCH_RATE=1000 = 100 tokens/s, bucket 10. Ten launches are free; the 11th waits
 * for one token = 10 ms of (fake) time = 20 sleeps of 0.5 ms. */
static void scenario_bucket_standalone(void) {
    for (int i = 0; i < 10; i++) launch_once();
    CHECK_EQ(0, sleeps);
    int64_t before = tfshim_test_clock_ns();
    launch_once();
    int64_t waited = tfshim_test_clock_ns() - before;
    CHECK(sleeps >= 1);
    CHECK(waited >= 9500000 && waited <= 10500000);
    CHECK(region_map()->devices[0].throttled_ns > 0);
}

/* Agent-owned regions: the test writes the region itself, as the C# agent will (a byte-level ABI check too). */
static tfshim_region* agent_region;
static void create_agent_region(int64_t heartbeat, int64_t tokens) {
    const char* path = getenv("TF_SHIM_STATE");
    char temp[512];
    snprintf(temp, sizeof(temp), "%s.agent", path);
    tfshim_region* r = agent_region_create(temp, 1, heartbeat);
    CHECK(r != NULL);
    snprintf(r->devices[0].uuid, TFSHIM_UUID_LEN, "GPU-a0a1a2a3-a4a5-a6a7-a8a9-aaabacadae00");
    r->devices[0].memory_hard_bytes = r->devices[0].memory_soft_bytes = 4 * GiB;
    r->devices[0].compute_hard_percent = 50;
    r->devices[0].compute_soft_percent = 30;
    r->devices[0].tokens = tokens;
    r->devices[0].token_capacity = 100;
    agent_region_publish(r);
    CHECK(rename(temp, path) == 0);
    agent_region = r;
}

static void agent_refills_after_three_sleeps(void) {
    if (sleeps == 3) {
        atomic_store((_Atomic int64_t*)&agent_region->devices[0].tokens, 5);
        atomic_store((_Atomic int64_t*)&agent_region->header.heartbeat_ns, atomic_load(&fake_now));
    }
}

static void scenario_bucket_agent(void) {
    create_agent_region(atomic_load(&fake_now), 0);
    on_sleep = agent_refills_after_three_sleeps;
    launch_once();                       /* empty bucket: waits until the agent refills */
    CHECK_EQ(3, sleeps);
    for (int i = 0; i < 4; i++) launch_once();   /* the other 4 of 5 tokens */
    CHECK_EQ(3, sleeps);
    CHECK_EQ(0, agent_region->devices[0].tokens);
    /* The agent's limits win over TF_SHIM_VRAM_LIMIT=8Gi; the device is found by UUID. */
    size_t free_bytes = 0, total = 0;
    CHECK_EQ(CUDA_SUCCESS, api.cuMemGetInfo_v2(&free_bytes, &total));
    CHECK_EQ(4 * GiB, total);
    /* A device the worker was not granted (ordinal 1, another UUID) gets no memory at all. */
    use_device(1);
    CUdeviceptr p;
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, 1));
    use_device(0);
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, 4 * GiB));
}

/* An entry written with the MIG- kind matches the instance whose UUID bytes the driver reports (formatted GPU-…). */
static void scenario_mig_uuid(void) {
    create_agent_region(atomic_load(&fake_now), 0);
    snprintf(agent_region->devices[0].uuid, TFSHIM_UUID_LEN, "MIG-a0a1a2a3-a4a5-a6a7-a8a9-aaabacadae01");
    CUdeviceptr p;
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, 1));   /* ordinal 0: not granted */
    use_device(1);
    CHECK_EQ(CUDA_SUCCESS, api.cuMemAlloc_v2(&p, 4 * GiB));
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, 1));
    CHECK_EQ(4 * GiB, agent_region->devices[0].used_bytes);
}

/* Heartbeat older than 2 s: launches are not throttled (fail open) but memory stays limited (fail closed). An
 * empty bucket whose heartbeat goes stale while a launch waits releases that launch after 2 s. */
static void scenario_bucket_stale(void) {
    create_agent_region(atomic_load(&fake_now) - 3000000000ll, 0);
    launch_once();
    CHECK_EQ(0, sleeps);
    CUdeviceptr p;
    CHECK_EQ(CUDA_ERROR_OUT_OF_MEMORY, api.cuMemAlloc_v2(&p, 5 * GiB));
    atomic_store((_Atomic int64_t*)&agent_region->header.heartbeat_ns, atomic_load(&fake_now));
    int64_t before = atomic_load(&fake_now);
    launch_once();
    int64_t waited = atomic_load(&fake_now) - before;
    CHECK(waited > TFSHIM_HEARTBEAT_STALE_NS && waited <= TFSHIM_HEARTBEAT_STALE_NS + 1000000);
}

/* Real time, kept tiny: 1 % of 10000 launches/s = 100 tokens/s, bucket 10; 15 launches need ~50 ms. */
static void scenario_bucket_realtime(void) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < 15; i++) launch_once();
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6;
    fprintf(stderr, "15 launches at 100 tokens/s took %.1f ms\n", ms);
    CHECK(ms >= 30.0 && ms <= 2000.0);
}

/* ---- pass-through and missing symbols ------------------------------------------------------------------------ */

static void scenario_passthrough(void) {
    void* cuda = dlopen("libcuda.so.1", RTLD_NOW);
    CHECK(cuda != NULL);
    void* real_init = dlsym(cuda, "cuInit");
    CHECK(real_init != NULL);
    Dl_info info;
    CHECK(dladdr(real_init, &info) != 0 && strstr(info.dli_fname, "libcuda.so.1") != NULL);   /* not ours */
    CHECK(dlsym(cuda, "cuNoSuchEntryPoint") == NULL);
    void* function = (void*)1;
    CUdriverProcAddressQueryResult status = -1;
    CHECK_EQ(CUDA_ERROR_NOT_FOUND, cuGetProcAddress_v2("cuNoSuchEntryPoint", &function, 12080, 0, &status));
    CHECK_EQ(CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND, status);
    CHECK_EQ(CUDA_SUCCESS, cuGetProcAddress_v2("cuCtxGetDevice", &function, 12080, 0, &status));
    CHECK(dladdr(function, &info) != 0 && strstr(info.dli_fname, "libcuda.so.1") != NULL);
    /* A newer variant of a hooked family that the shim predates comes back unwrapped (and is reported). */
    CHECK_EQ(CUDA_SUCCESS, cuGetProcAddress_v2("cuMemAlloc", &function, 99000, 0, &status));
    CHECK(function == dlsym(cuda, "cuMemAlloc_v9") && function != (void*)cuMemAlloc_v2);
    CHECK(dladdr(function, &info) != 0 && strstr(info.dli_fname, "libcuda.so.1") != NULL);
    /* cudaVersion older than a family's first hooked export: passes through to the driver's choice. */
    CHECK_EQ(CUDA_ERROR_NOT_FOUND, cuGetProcAddress("cuLaunchKernelEx", &function, 11030, 0));
}

/* Run against the minimal fake driver, which lacks cuLaunchKernelEx and cuMemAllocFromPoolAsync. */
static void scenario_missing(void) {
    CHECK_EQ(CUDA_ERROR_NOT_FOUND, cuLaunchKernelEx(NULL, NULL, NULL, NULL));
    CUdeviceptr p;
    CHECK_EQ(CUDA_ERROR_NOT_FOUND, cuMemAllocFromPoolAsync(&p, GiB, NULL, NULL));
    void* cuda = dlopen("libcuda.so.1", RTLD_NOW);
    CHECK(dlsym(cuda, "cuLaunchKernelEx") == NULL);
    void* function = NULL;
    CHECK_EQ(CUDA_ERROR_NOT_FOUND, cuGetProcAddress_v2("cuLaunchKernelEx", &function, 12080, 0, NULL));
    CHECK_EQ(CUDA_SUCCESS, cuMemAlloc_v2(&p, GiB));   /* everything present still works */
    CHECK_EQ(GiB, used_bytes(0));
}

int main(int argc, char** argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s <mode> <scenario>\n", argv[0]); return 2; }
    mode = argv[1];
    const char* scenario = argv[2];
    fake_clock = strncmp(scenario, "bucket-", 7) == 0 && strcmp(scenario, "bucket-realtime") != 0;
    resolve();
    if (strcmp(scenario, "families") == 0) scenario_families();
    else if (strcmp(scenario, "race") == 0) scenario_race();
    else if (strcmp(scenario, "threads") == 0) scenario_threads();
    else if (strcmp(scenario, "sigkill") == 0) scenario_sigkill();
    else if (strcmp(scenario, "fork") == 0) scenario_fork();
    else if (strcmp(scenario, "live") == 0) scenario_live();
    else if (strcmp(scenario, "exec") == 0) scenario_exec(argv[0]);
    else if (strcmp(scenario, "exec-after") == 0) scenario_exec_after();
    else if (strcmp(scenario, "bucket-standalone") == 0) scenario_bucket_standalone();
    else if (strcmp(scenario, "bucket-agent") == 0) scenario_bucket_agent();
    else if (strcmp(scenario, "bucket-stale") == 0) scenario_bucket_stale();
    else if (strcmp(scenario, "mig-uuid") == 0) scenario_mig_uuid();
    else if (strcmp(scenario, "bucket-realtime") == 0) scenario_bucket_realtime();
    else if (strcmp(scenario, "passthrough") == 0) scenario_passthrough();
    else if (strcmp(scenario, "missing") == 0) scenario_missing();
    else { fprintf(stderr, "unknown scenario %s\n", scenario); return 2; }
    printf("%s %s: ok\n", mode, scenario);
    return 0;
}
