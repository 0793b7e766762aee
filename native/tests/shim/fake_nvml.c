/* A fake libnvidia-ml.so.1 for the shim tests: two devices of 80 GiB with 1 GiB in use, UUIDs matching the fake
 * CUDA driver's (so the shim can map NVML handles to region entries by UUID). */
#include <stdio.h>
#include "cuda_types.h"

#define EXPORT __attribute__((visibility("default")))
#define FAKE_TOTAL (80ull << 30)
#define FAKE_USED (1ull << 30)

EXPORT nvmlReturn_t nvmlInit_v2(void) { return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlShutdown(void) { return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count) { *count = 2; return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device) {
    if (index >= 2) return 2;
    *device = (nvmlDevice_t)(uintptr_t)(index + 1);
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetIndex(nvmlDevice_t device, unsigned int* index) {
    *index = (unsigned int)((uintptr_t)device - 1);
    return NVML_SUCCESS;
}
/* Same bytes as the fake driver's cuDeviceGetUuid_v2: a0 a1 … ae <ordinal>. */
EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned int length) {
    snprintf(uuid, length, "GPU-a0a1a2a3-a4a5-a6a7-a8a9-aaabacadae%02x", (unsigned)((uintptr_t)device - 1));
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* memory) {
    (void)device;
    memory->total = FAKE_TOTAL;
    memory->used = FAKE_USED;
    memory->free = FAKE_TOTAL - FAKE_USED;
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t* memory) {
    (void)device;
    memory->total = FAKE_TOTAL;
    memory->reserved = 256ull << 20;
    memory->used = FAKE_USED;
    memory->free = FAKE_TOTAL - FAKE_USED - memory->reserved;
    return NVML_SUCCESS;
}
