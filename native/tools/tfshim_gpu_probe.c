/* Hardware probe for libtfshim (scripts/gpu-check.sh --limiter): driver API only, no CUDA toolkit, no nvcc.
 *   tfshim-gpu-probe memory           allocate 1 GiB blocks until refused with cuMemAlloc_v2, cuMemAllocAsync and
 *                                     cuMemCreate; print cuMemGetInfo and what was accepted, one JSON line each
 *   tfshim-gpu-probe compute SECONDS  launch 1 ms spin kernels (PTX JIT-compiled by the driver, %globaltimer) for
 *                                     SECONDS, synchronising every 64 launches; print launches/s and busy share
 * Run it with LD_PRELOAD=libtfshim.so and TF_SHIM_* to see the limits act. Exit 3 when there is no driver. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cuda_types.h"

typedef struct CUmod_st* CUmodule;
#define GiB (1ull << 30)

static void* driver;
#define LOAD(name, ...) __typeof__(__VA_ARGS__) name = (__typeof__(__VA_ARGS__))dlsym(driver, #name)

static const char spin_ptx[] =
    ".version 7.0\n.target sm_70\n.address_size 64\n"
    ".visible .entry spin(.param .u64 spin_ns)\n{\n"
    "  .reg .pred p;\n  .reg .u64 start, now, limit, elapsed;\n"
    "  ld.param.u64 limit, [spin_ns];\n  mov.u64 start, %globaltimer;\n"
    "LOOP:\n  mov.u64 now, %globaltimer;\n  sub.u64 elapsed, now, start;\n"
    "  setp.lt.u64 p, elapsed, limit;\n  @p bra LOOP;\n  ret;\n}\n";

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int fail(const char* what, CUresult result) {
    printf("{\"error\": \"%s\", \"result\": %d}\n", what, result);
    return 1;
}

static int probe_memory(void) {
    LOAD(cuMemGetInfo_v2, CUresult (*)(size_t*, size_t*));
    LOAD(cuMemAlloc_v2, CUresult (*)(CUdeviceptr*, size_t));
    LOAD(cuMemFree_v2, CUresult (*)(CUdeviceptr));
    LOAD(cuMemAllocAsync, CUresult (*)(CUdeviceptr*, size_t, CUstream));
    LOAD(cuMemFreeAsync, CUresult (*)(CUdeviceptr, CUstream));
    LOAD(cuCtxSynchronize, CUresult (*)(void));
    LOAD(cuMemCreate, CUresult (*)(CUmemGenericAllocationHandle*, size_t, const CUmemAllocationProp*, unsigned long long));
    LOAD(cuMemRelease, CUresult (*)(CUmemGenericAllocationHandle));
    if (!cuMemGetInfo_v2 || !cuMemAlloc_v2 || !cuMemFree_v2 || !cuCtxSynchronize) return fail("missing entry points", 0);
    size_t free_bytes = 0, total = 0;
    CUresult result = cuMemGetInfo_v2(&free_bytes, &total);
    if (result != CUDA_SUCCESS) return fail("cuMemGetInfo_v2", result);
    printf("{\"check\": \"cuMemGetInfo\", \"totalBytes\": %zu, \"freeBytes\": %zu}\n", total, free_bytes);
    for (int family = 0; family < 3; family++) {
        const char* name = family == 0 ? "cuMemAlloc_v2" : family == 1 ? "cuMemAllocAsync" : "cuMemCreate";
        if ((family == 1 && (!cuMemAllocAsync || !cuMemFreeAsync)) || (family == 2 && (!cuMemCreate || !cuMemRelease))) {
            printf("{\"check\": \"%s\", \"skipped\": \"driver lacks it\"}\n", name);
            continue;
        }
        uint64_t handles[1024];
        int accepted = 0;
        CUresult last = CUDA_SUCCESS;
        while (accepted < 1024) {
            if (family == 0) {
                CUdeviceptr p;
                last = cuMemAlloc_v2(&p, GiB);
                handles[accepted] = p;
            } else if (family == 1) {
                CUdeviceptr p;
                last = cuMemAllocAsync(&p, GiB, NULL);
                if (last == CUDA_SUCCESS) last = cuCtxSynchronize();
                handles[accepted] = p;
            } else {
                CUmemAllocationProp prop;
                memset(&prop, 0, sizeof(prop));
                prop.type = 1;   /* CU_MEM_ALLOCATION_TYPE_PINNED */
                prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
                CUmemGenericAllocationHandle h;
                last = cuMemCreate(&h, GiB, &prop, 0);
                handles[accepted] = h;
            }
            if (last != CUDA_SUCCESS) break;
            accepted++;
        }
        printf("{\"check\": \"%s\", \"acceptedBytes\": %llu, \"stoppedWith\": %d}\n", name,
               (unsigned long long)accepted * GiB, last);
        for (int i = 0; i < accepted; i++) {
            if (family == 0) cuMemFree_v2(handles[i]);
            else if (family == 1) cuMemFreeAsync(handles[i], NULL);
            else cuMemRelease(handles[i]);
        }
        cuCtxSynchronize();
    }
    return 0;
}

static int probe_compute(double duration) {
    LOAD(cuModuleLoadData, CUresult (*)(CUmodule*, const void*));
    LOAD(cuModuleGetFunction, CUresult (*)(CUfunction*, CUmodule, const char*));
    LOAD(cuLaunchKernel, CUresult (*)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                                      CUstream, void**, void**));
    LOAD(cuCtxSynchronize, CUresult (*)(void));
    if (!cuModuleLoadData || !cuModuleGetFunction || !cuLaunchKernel || !cuCtxSynchronize) {
        return fail("missing entry points", 0);
    }
    CUmodule module;
    CUfunction spin;
    CUresult result = cuModuleLoadData(&module, spin_ptx);
    if (result != CUDA_SUCCESS) return fail("cuModuleLoadData (PTX JIT)", result);
    result = cuModuleGetFunction(&spin, module, "spin");
    if (result != CUDA_SUCCESS) return fail("cuModuleGetFunction", result);
    unsigned long long spin_ns = 1000000;
    void* params[] = {&spin_ns};
    long launches = 0;
    double start = seconds();
    while (seconds() - start < duration) {
        for (int i = 0; i < 64; i++) {
            result = cuLaunchKernel(spin, 1, 1, 1, 1, 1, 1, 0, NULL, params, NULL);
            if (result != CUDA_SUCCESS) return fail("cuLaunchKernel", result);
            launches++;
        }
        cuCtxSynchronize();
    }
    double elapsed = seconds() - start;
    printf("{\"check\": \"compute\", \"launches\": %ld, \"seconds\": %.3f, \"launchesPerSecond\": %.1f, "
           "\"busyShare\": %.4f}\n", launches, elapsed, (double)launches / elapsed,
           (double)launches * (double)spin_ns / 1e9 / elapsed);
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s memory | compute SECONDS\n", argv[0]); return 2; }
    driver = dlopen("libcuda.so.1", RTLD_NOW);
    if (driver == NULL) { printf("{\"error\": \"no NVIDIA driver (libcuda.so.1 not loadable)\"}\n"); return 3; }
    LOAD(cuInit, CUresult (*)(unsigned));
    LOAD(cuDevicePrimaryCtxRetain, CUresult (*)(CUcontext*, CUdevice));
    LOAD(cuCtxSetCurrent, CUresult (*)(CUcontext));
    if (!cuInit || !cuDevicePrimaryCtxRetain || !cuCtxSetCurrent) return fail("missing entry points", 0);
    CUresult result = cuInit(0);
    if (result != CUDA_SUCCESS) { printf("{\"error\": \"cuInit\", \"result\": %d}\n", result); return 3; }
    CUcontext context;
    if ((result = cuDevicePrimaryCtxRetain(&context, 0)) != CUDA_SUCCESS) return fail("cuDevicePrimaryCtxRetain", result);
    if ((result = cuCtxSetCurrent(context)) != CUDA_SUCCESS) return fail("cuCtxSetCurrent", result);
    if (strcmp(argv[1], "memory") == 0) return probe_memory();
    if (strcmp(argv[1], "compute") == 0 && argc == 3) return probe_compute(atof(argv[2]));
    fprintf(stderr, "usage: %s memory | compute SECONDS\n", argv[0]);
    return 2;
}
