/* A fake libnvidia-ml.so.1 whose health-event set the test drives: it queues Xid events and makes
 * nvmlEventSetWait_v2 fail on demand, so the NVML backend's event path (drain_events in src/nvml_backend.c) runs
 * without a GPU. Devices: FAKE_DEVICES GPUs of 80 GiB with handles 1..N; handle 0x99 is "a device NVML never listed".
 * The fakenvml_* exports are the test's controls (the C# tests call them through NativeLibrary). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
#define FAKE_DEVICES 2u
#define QUEUE 16
#define NVML_SUCCESS 0
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_TIMEOUT 10
#define NVML_EVENT_TYPE_XID_CRITICAL 8ull

typedef int nvmlReturn_t;
typedef void* nvmlDevice_t;
typedef void* nvmlEventSet_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned gpu, memory; } nvmlUtilization_t;
typedef struct { nvmlDevice_t device; unsigned long long eventType, eventData; unsigned gpuInstanceId, computeInstanceId; } nvmlEventData_t;

static struct {
    nvmlDevice_t device[QUEUE];
    unsigned long long xid[QUEUE];
    unsigned head, tail;
    int wait_error;
    unsigned wait_error_times;
    unsigned wait_calls;
    unsigned registered;
} fake;

static nvmlDevice_t handle_of(unsigned index) { return (nvmlDevice_t)(uintptr_t)(index + 1); }

/* Controls. */
EXPORT void fakenvml_reset(void) { memset(&fake, 0, sizeof(fake)); }
/* The next `times` waits return `code` (an nvmlReturn_t, e.g. 15 GPU_IS_LOST or 999 UNKNOWN). */
EXPORT void fakenvml_fail_waits(int code, unsigned times) { fake.wait_error = code; fake.wait_error_times = times; }
/* Queues a critical-Xid event for device `index`; index -1 names a handle NVML never listed. */
EXPORT void fakenvml_queue_xid(int index, unsigned long long xid) {
    if (fake.tail - fake.head >= QUEUE) return;
    fake.device[fake.tail % QUEUE] = index < 0 ? (nvmlDevice_t)(uintptr_t)0x99 : handle_of((unsigned)index);
    fake.xid[fake.tail % QUEUE] = xid;
    fake.tail++;
}
EXPORT unsigned fakenvml_wait_calls(void) { return fake.wait_calls; }
EXPORT unsigned fakenvml_registered_devices(void) { return fake.registered; }

/* What load_functions requires. */
EXPORT nvmlReturn_t nvmlInit_v2(void) { return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlShutdown(void) { return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned* count) { *count = FAKE_DEVICES; return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned index, nvmlDevice_t* device) {
    if (index >= FAKE_DEVICES) return NVML_ERROR_INVALID_ARGUMENT;
    *device = handle_of(index);
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned length) {
    snprintf(uuid, length, "GPU-fake-events-%u", (unsigned)((uintptr_t)device - 1));
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned length) {
    (void)device;
    snprintf(name, length, "NVIDIA A100-SXM4-80GB");
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* memory) {
    (void)device;
    memory->total = 80ull << 30;
    memory->used = 0;
    memory->free = memory->total;
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t* utilization) {
    (void)device;
    utilization->gpu = 0;
    utilization->memory = 0;
    return NVML_SUCCESS;
}

/* The health-event set. */
EXPORT nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t* set) { *set = (nvmlEventSet_t)(uintptr_t)0x5e7; return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) { (void)set; return NVML_SUCCESS; }
EXPORT nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t device, unsigned long long types, nvmlEventSet_t set) {
    (void)device; (void)set;
    if (types & NVML_EVENT_TYPE_XID_CRITICAL) fake.registered++;
    return NVML_SUCCESS;
}
EXPORT nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t* data, unsigned timeout_ms) {
    (void)set; (void)timeout_ms;
    fake.wait_calls++;
    if (fake.wait_error_times > 0) {
        fake.wait_error_times--;
        return fake.wait_error;
    }
    if (fake.head == fake.tail) return NVML_ERROR_TIMEOUT;
    memset(data, 0, sizeof(*data));
    data->device = fake.device[fake.head % QUEUE];
    data->eventType = NVML_EVENT_TYPE_XID_CRITICAL;
    data->eventData = fake.xid[fake.head % QUEUE];
    fake.head++;
    return NVML_SUCCESS;
}
