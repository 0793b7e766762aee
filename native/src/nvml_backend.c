/* NVML backend: opens libnvidia-ml.so.1 with dlopen at init. Without a driver, init returns
 * TFACCEL_ERR_NO_DRIVER and nothing else is touched. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "nvml_api.h"

tfaccel_result nvml_map_error(nvml_return code) {
    switch (code) {
    case NVML_SUCCESS: return TFACCEL_OK;
    case NVML_ERROR_INVALID_ARGUMENT: return TFACCEL_ERR_INVALID_ARGUMENT;
    case NVML_ERROR_NOT_SUPPORTED: case NVML_ERROR_NO_PERMISSION: return TFACCEL_ERR_NOT_SUPPORTED;
    case NVML_ERROR_NOT_FOUND: return TFACCEL_ERR_NOT_FOUND;
    case NVML_ERROR_INSUFFICIENT_SIZE: case NVML_ERROR_INSUFFICIENT_RESOURCES: return TFACCEL_ERR_RESOURCE_EXHAUSTED;
    case NVML_ERROR_DRIVER_NOT_LOADED: return TFACCEL_ERR_NO_DRIVER;
    case NVML_ERROR_GPU_IS_LOST: case NVML_ERROR_RESET_REQUIRED: return TFACCEL_ERR_GPU_LOST;
    case NVML_ERROR_IN_USE: return TFACCEL_ERR_IN_USE;
    default: return TFACCEL_ERR_INTERNAL;
    }
}

#define LOAD(field, name) (*(void**)(&nvml->fn.field) = dlsym(nvml->library, name))

static int load_functions(nvml_state* nvml) {
    int required = LOAD(init, "nvmlInit_v2") && LOAD(shutdown, "nvmlShutdown") &&
                   LOAD(device_count, "nvmlDeviceGetCount_v2") && LOAD(device_by_index, "nvmlDeviceGetHandleByIndex_v2") &&
                   LOAD(device_uuid, "nvmlDeviceGetUUID") && LOAD(device_name, "nvmlDeviceGetName") &&
                   LOAD(device_memory, "nvmlDeviceGetMemoryInfo") && LOAD(device_utilization, "nvmlDeviceGetUtilizationRates");
    if (!required) return 0;
    /* Optional: missing on old drivers or non-MIG GPUs; callers check for NULL. */
    LOAD(device_attributes, "nvmlDeviceGetAttributes_v2");
    LOAD(device_numa_node, "nvmlDeviceGetNumaNodeId");
    LOAD(device_mig_mode, "nvmlDeviceGetMigMode");
    LOAD(device_set_mig_mode, "nvmlDeviceSetMigMode");
    LOAD(device_power, "nvmlDeviceGetPowerUsage");
    LOAD(device_temperature, "nvmlDeviceGetTemperature");
    if (!LOAD(device_processes, "nvmlDeviceGetComputeRunningProcesses_v3")) {
        LOAD(device_processes, "nvmlDeviceGetComputeRunningProcesses_v2");
    }
    LOAD(device_process_utilization, "nvmlDeviceGetProcessUtilization");
    LOAD(event_set_create, "nvmlEventSetCreate");
    LOAD(register_events, "nvmlDeviceRegisterEvents");
    LOAD(event_set_wait, "nvmlEventSetWait_v2");
    LOAD(event_set_free, "nvmlEventSetFree");
    LOAD(gi_profile_info, "nvmlDeviceGetGpuInstanceProfileInfo");
    LOAD(gi_profile_info_v, "nvmlDeviceGetGpuInstanceProfileInfoV");
    LOAD(gi_placements, "nvmlDeviceGetGpuInstancePossiblePlacements_v2");
    LOAD(gi_list, "nvmlDeviceGetGpuInstances");
    LOAD(gi_info, "nvmlGpuInstanceGetInfo");
    LOAD(gi_create_with_placement, "nvmlDeviceCreateGpuInstanceWithPlacement");
    LOAD(gi_by_id, "nvmlDeviceGetGpuInstanceById");
    LOAD(gi_destroy, "nvmlGpuInstanceDestroy");
    LOAD(ci_profile_info, "nvmlGpuInstanceGetComputeInstanceProfileInfo");
    LOAD(ci_create, "nvmlGpuInstanceCreateComputeInstance");
    LOAD(ci_list, "nvmlGpuInstanceGetComputeInstances");
    LOAD(ci_destroy, "nvmlComputeInstanceDestroy");
    LOAD(max_mig_devices, "nvmlDeviceGetMaxMigDeviceCount");
    LOAD(mig_device_by_index, "nvmlDeviceGetMigDeviceHandleByIndex");
    LOAD(mig_device_gi_id, "nvmlDeviceGetGpuInstanceId");
    return 1;
}

tfaccel_result nvml_open(nvml_state** out) {
    const char* path = getenv("TFACCEL_NVML_LIBRARY"); /* lets tests point at a missing or fake library */
    void* library = dlopen(path != NULL && path[0] != '\0' ? path : "libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return TFACCEL_ERR_NO_DRIVER;
    nvml_state* nvml = calloc(1, sizeof(*nvml));
    if (nvml == NULL) { dlclose(library); return TFACCEL_ERR_INTERNAL; }
    nvml->library = library;
    if (!load_functions(nvml) || nvml->fn.init() != NVML_SUCCESS) {
        dlclose(library);
        free(nvml);
        return TFACCEL_ERR_NO_DRIVER;
    }
    unsigned count = 0;
    nvml_return status = nvml->fn.device_count(&count);
    if (status != NVML_SUCCESS) { nvml_close(nvml); return nvml_map_error(status); }
    nvml->device_count = count > NVML_MAX_DEVICES ? NVML_MAX_DEVICES : count;
    for (unsigned i = 0; i < nvml->device_count; i++) {
        if (nvml->fn.device_by_index(i, &nvml->devices[i]) != NVML_SUCCESS) {
            nvml->devices[i] = NULL; /* fail-safe: a device we cannot open is reported lost */
            nvml->health[i] = TFACCEL_HEALTH_LOST;
        }
    }
    if (nvml->fn.event_set_create != NULL && nvml->fn.register_events != NULL && nvml->fn.event_set_wait != NULL &&
        nvml->fn.event_set_create(&nvml->events) == NVML_SUCCESS) {
        for (unsigned i = 0; i < nvml->device_count; i++) {
            if (nvml->devices[i] != NULL) nvml->fn.register_events(nvml->devices[i], NVML_EVENT_TYPE_XID_CRITICAL, nvml->events);
        }
    }
    *out = nvml;
    return TFACCEL_OK;
}

void nvml_close(nvml_state* nvml) {
    if (nvml->events != NULL && nvml->fn.event_set_free != NULL) nvml->fn.event_set_free(nvml->events);
    nvml->fn.shutdown();
    dlclose(nvml->library);
    free(nvml);
}

tfaccel_result nvml_device_at(nvml_state* nvml, uint32_t index, nvml_device* out) {
    if (index >= nvml->device_count) return TFACCEL_ERR_NOT_FOUND;
    if (nvml->devices[index] == NULL || nvml->health[index] == TFACCEL_HEALTH_LOST) return TFACCEL_ERR_GPU_LOST;
    *out = nvml->devices[index];
    return TFACCEL_OK;
}

/* Xids caused by applications (not the GPU) do not make a device unhealthy (same list as the device plugin). */
static int is_application_xid(unsigned long long xid) {
    return xid == 13 || xid == 31 || xid == 43 || xid == 45 || xid == 68 || xid == 109;
}

static void drain_events(nvml_state* nvml) {
    if (nvml->events == NULL) return;
    nvml_event_data event;
    for (int guard = 0; guard < 64; guard++) {
        memset(&event, 0, sizeof(event));
        nvml_return status = nvml->fn.event_set_wait(nvml->events, &event, 0);
        if (status == NVML_ERROR_TIMEOUT) return;
        int known = 0;
        for (unsigned i = 0; i < nvml->device_count; i++) {
            if (status != NVML_SUCCESS || nvml->devices[i] != event.device) continue;
            known = 1;
            if (!is_application_xid(event.event_data) && nvml->health[i] == TFACCEL_HEALTH_OK) {
                nvml->health[i] = TFACCEL_HEALTH_XID_CRITICAL;
                nvml->last_xid[i] = (uint32_t)event.event_data;
            }
        }
        /* Fail-safe: a wait error or an event for an unknown device marks every device unhealthy. */
        if (!known) {
            for (unsigned i = 0; i < nvml->device_count; i++) {
                if (nvml->health[i] == TFACCEL_HEALTH_OK) nvml->health[i] = TFACCEL_HEALTH_XID_CRITICAL;
            }
            return;
        }
    }
}

tfaccel_result nvml_list_devices(nvml_state* nvml, tfaccel_device_info* buffer, uint32_t capacity, uint32_t* count) {
    drain_events(nvml);
    uint32_t present = 0;
    for (unsigned i = 0; i < nvml->device_count; i++) present += nvml->health[i] != TFACCEL_HEALTH_LOST;
    if (capacity < present) { *count = present; return TFACCEL_ERR_RESOURCE_EXHAUSTED; }
    uint32_t written = 0;
    for (unsigned i = 0; i < nvml->device_count; i++) {
        nvml_device device = nvml->devices[i];
        if (nvml->health[i] == TFACCEL_HEALTH_LOST) continue;
        tfaccel_device_info* info = &buffer[written];
        memset(info, 0, sizeof(*info));
        nvml_return status = nvml->fn.device_uuid(device, info->uuid, sizeof(info->uuid));
        if (status == NVML_ERROR_GPU_IS_LOST || status == NVML_ERROR_RESET_REQUIRED) {
            nvml->health[i] = TFACCEL_HEALTH_LOST;
            continue;
        }
        nvml->fn.device_name(device, info->model, sizeof(info->model));
        info->index = i;
        info->numa_node = -1;
        unsigned numa = 0;
        if (nvml->fn.device_numa_node != NULL && nvml->fn.device_numa_node(device, &numa) == NVML_SUCCESS) {
            info->numa_node = (int32_t)numa;
        }
        nvml_memory memory;
        if (nvml->fn.device_memory(device, &memory) == NVML_SUCCESS) info->memory_total_bytes = memory.total;
        nvml_device_attributes attributes;
        if (nvml->fn.device_attributes != NULL && nvml->fn.device_attributes(device, &attributes) == NVML_SUCCESS) {
            info->sm_count = attributes.multiprocessor_count;
        }
        /* nvmlDeviceGetAttributes answers only for MIG devices (measured on an H200, driver 580); a MIG-capable GPU's
         * largest instance profile spans every SM, so it gives the count where attributes do not. */
        if (info->sm_count == 0) info->sm_count = nvml_full_profile_sm_count(nvml, device);
        unsigned current = 0, pending = 0;
        if (nvml->fn.device_mig_mode != NULL && nvml->fn.device_mig_mode(device, &current, &pending) == NVML_SUCCESS) {
            info->mig_capable = 1;
            info->mig_enabled = current != 0;
        }
        info->health = nvml->health[i];
        info->max_tflops = 0; /* NVML does not report it; the agent takes it from its model catalog */
        written++;
    }
    *count = written;
    return TFACCEL_OK;
}

tfaccel_result nvml_device_metrics(nvml_state* nvml, uint32_t index, tfaccel_device_metrics* out) {
    drain_events(nvml);
    nvml_device device;
    tfaccel_result result = nvml_device_at(nvml, index, &device);
    if (result != TFACCEL_OK) return result;
    memset(out, 0, sizeof(*out));
    out->index = index;
    nvml_utilization utilization;
    nvml_return status = nvml->fn.device_utilization(device, &utilization);
    if (status == NVML_ERROR_GPU_IS_LOST || status == NVML_ERROR_RESET_REQUIRED) {
        nvml->health[index] = TFACCEL_HEALTH_LOST;
        return TFACCEL_ERR_GPU_LOST;
    }
    /* Utilisation is not supported while MIG is on; report 0 rather than failing the whole read. */
    if (status == NVML_SUCCESS) out->utilization_percent = utilization.gpu;
    nvml_memory memory;
    if (nvml->fn.device_memory(device, &memory) == NVML_SUCCESS) out->memory_used_bytes = memory.used;
    if (nvml->fn.device_power != NULL) nvml->fn.device_power(device, &out->power_milliwatts);
    if (nvml->fn.device_temperature != NULL) nvml->fn.device_temperature(device, 0, &out->temperature_celsius);
    out->health = nvml->health[index];
    out->last_xid = nvml->last_xid[index];
    return TFACCEL_OK;
}
