/* NVML backend: processes and MIG (mode, profiles with placements, instance listing). */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "nvml_api.h"

#define NVML_MAX_PROCESSES 128

static uint32_t process_sm_util(nvml_state* nvml, nvml_device device, unsigned pid) {
    if (nvml->fn.device_process_utilization == NULL) return 0;
    nvml_process_sample samples[NVML_MAX_PROCESSES];
    unsigned count = NVML_MAX_PROCESSES;
    if (nvml->fn.device_process_utilization(device, samples, &count, 0) != NVML_SUCCESS) return 0;
    for (unsigned i = 0; i < count; i++) {
        if (samples[i].pid == pid) return samples[i].sm_util;
    }
    return 0;
}

tfaccel_result nvml_list_processes(nvml_state* nvml, tfaccel_process_usage* buffer, uint32_t capacity,
                                   uint32_t* count) {
    if (nvml->fn.device_processes == NULL) return TFACCEL_ERR_NOT_SUPPORTED;
    uint32_t found = 0;
    for (unsigned d = 0; d < nvml->device_count; d++) {
        nvml_device device;
        if (nvml_device_at(nvml, d, &device) != TFACCEL_OK) continue;
        nvml_process_info infos[NVML_MAX_PROCESSES];
        unsigned n = NVML_MAX_PROCESSES;
        nvml_return status = nvml->fn.device_processes(device, &n, infos);
        if (status != NVML_SUCCESS) continue;
        for (unsigned i = 0; i < n; i++, found++) {
            if (found >= capacity) continue;
            tfaccel_process_usage* usage = &buffer[found];
            memset(usage, 0, sizeof(*usage));
            usage->pid = infos[i].pid;
            usage->device_index = d;
            /* NVML reports "not available" as all ones (e.g. without permission to read other processes). */
            usage->memory_used_bytes = infos[i].used_gpu_memory == ~0ull ? 0 : infos[i].used_gpu_memory;
            usage->utilization_percent = process_sm_util(nvml, device, infos[i].pid);
            usage->gpu_instance_id = infos[i].gpu_instance_id == ~0u ? TFACCEL_NO_INSTANCE : infos[i].gpu_instance_id;
        }
    }
    *count = found;
    return found > capacity ? TFACCEL_ERR_RESOURCE_EXHAUSTED : TFACCEL_OK;
}

tfaccel_result nvml_mig_set_mode(nvml_state* nvml, uint32_t index, uint32_t enabled) {
    nvml_device device;
    tfaccel_result result = nvml_device_at(nvml, index, &device);
    if (result != TFACCEL_OK) return result;
    if (nvml->fn.device_set_mig_mode == NULL) return TFACCEL_ERR_NOT_SUPPORTED;
    nvml_return activation = NVML_SUCCESS;
    nvml_return status = nvml->fn.device_set_mig_mode(device, enabled, &activation);
    return nvml_map_error(status != NVML_SUCCESS ? status : activation);
}

/* The driver's profile name when it can say (v2 query), else one made from slices and memory. */
static void profile_name(nvml_state* nvml, nvml_device device, unsigned index, const nvml_gpu_instance_profile_info* info,
                         char* out, size_t size) {
    if (nvml->fn.gi_profile_info_v != NULL) {
        nvml_gpu_instance_profile_info_v2 named;
        memset(&named, 0, sizeof(named));
        named.version = (unsigned)sizeof(named) | (2u << 24);
        if (nvml->fn.gi_profile_info_v(device, index, &named) == NVML_SUCCESS && named.name[0] != '\0') {
            named.name[sizeof(named.name) - 1] = '\0';
            /* NVIDIA prefixes "MIG " in some drivers; the profile name is what follows. */
            const char* name = strncmp(named.name, "MIG ", 4) == 0 ? named.name + 4 : named.name;
            size_t length = strnlen(name, size - 1);
            memcpy(out, name, length);
            out[length] = '\0';
            return;
        }
    }
    snprintf(out, size, "%ug.%llugb", info->slice_count, (info->memory_size_mb + 1023) / 1024);
}

uint32_t nvml_full_profile_sm_count(nvml_state* nvml, nvml_device device) {
    if (nvml->fn.gi_profile_info == NULL) return 0;
    uint32_t best_slices = 0, sms = 0;
    for (unsigned p = 0; p < NVML_GPU_INSTANCE_PROFILE_COUNT; p++) {
        nvml_gpu_instance_profile_info info;
        memset(&info, 0, sizeof(info));
        if (nvml->fn.gi_profile_info(device, p, &info) != NVML_SUCCESS) continue;
        if (info.slice_count > best_slices) { best_slices = info.slice_count; sms = info.multiprocessor_count; }
    }
    return sms;
}

/* Profiles are addressed by NVML's profile index (0 .. NVML_GPU_INSTANCE_PROFILE_COUNT-1); the id they report
 * (19, 15, 14, 9, 5, 0, ...) is the one tfaccel exposes. */
tfaccel_result nvml_mig_list_profiles(nvml_state* nvml, uint32_t index, tfaccel_mig_profile* buffer,
                                      uint32_t capacity, uint32_t* count) {
    nvml_device device;
    tfaccel_result result = nvml_device_at(nvml, index, &device);
    if (result != TFACCEL_OK) return result;
    if (nvml->fn.gi_profile_info == NULL || nvml->fn.gi_placements == NULL) return TFACCEL_ERR_NOT_SUPPORTED;
    uint32_t found = 0;
    for (unsigned p = 0; p < NVML_GPU_INSTANCE_PROFILE_COUNT; p++) {
        nvml_gpu_instance_profile_info info;
        memset(&info, 0, sizeof(info));
        nvml_return status = nvml->fn.gi_profile_info(device, p, &info);
        if (status == NVML_ERROR_NOT_SUPPORTED || status == NVML_ERROR_INVALID_ARGUMENT) continue;
        if (status != NVML_SUCCESS) return nvml_map_error(status);
        nvml_placement placements[TFACCEL_MAX_PLACEMENTS];
        unsigned placement_count = TFACCEL_MAX_PLACEMENTS;
        if (nvml->fn.gi_placements(device, info.id, placements, &placement_count) != NVML_SUCCESS) placement_count = 0;
        if (found < capacity) {
            tfaccel_mig_profile* profile = &buffer[found];
            memset(profile, 0, sizeof(*profile));
            profile_name(nvml, device, p, &info, profile->name, sizeof(profile->name));
            profile->profile_id = info.id;
            profile->compute_slices = info.slice_count;
            profile->memory_slices = placement_count > 0 ? placements[0].size : 0;
            profile->max_count = info.instance_count;
            profile->memory_bytes = info.memory_size_mb * 1024ull * 1024ull;
            profile->sm_count = info.multiprocessor_count;
            profile->placement_count = placement_count;
            for (unsigned k = 0; k < placement_count; k++) profile->placement_starts[k] = placements[k].start;
        }
        found++;
    }
    *count = found;
    return found > capacity ? TFACCEL_ERR_RESOURCE_EXHAUSTED : TFACCEL_OK;
}

tfaccel_result nvml_mig_list(nvml_state* nvml, uint32_t index, tfaccel_mig_instance* buffer, uint32_t capacity,
                             uint32_t* count) {
    nvml_device device;
    tfaccel_result result = nvml_device_at(nvml, index, &device);
    if (result != TFACCEL_OK) return result;
    if (nvml->fn.gi_profile_info == NULL || nvml->fn.gi_list == NULL || nvml->fn.gi_info == NULL) {
        return TFACCEL_ERR_NOT_SUPPORTED;
    }
    uint32_t found = 0;
    for (unsigned p = 0; p < NVML_GPU_INSTANCE_PROFILE_COUNT; p++) {
        nvml_gpu_instance_profile_info info;
        if (nvml->fn.gi_profile_info(device, p, &info) != NVML_SUCCESS) continue;
        nvml_gpu_instance instances[TFACCEL_MAX_PLACEMENTS];
        unsigned n = TFACCEL_MAX_PLACEMENTS;
        if (nvml->fn.gi_list(device, info.id, instances, &n) != NVML_SUCCESS) continue;
        for (unsigned i = 0; i < n; i++, found++) {
            nvml_gpu_instance_info gi;
            if (found >= capacity || nvml->fn.gi_info(instances[i], &gi) != NVML_SUCCESS) continue;
            tfaccel_mig_instance* out = &buffer[found];
            memset(out, 0, sizeof(*out));
            out->device_index = index;
            out->gpu_instance_id = gi.id;
            out->profile_id = gi.profile_id;
            out->placement_start = gi.placement.start;
            out->placement_size = gi.placement.size;
            nvml_mig_uuid(nvml, index, device, gi.id, out->uuid, sizeof(out->uuid));
        }
    }
    *count = found;
    return found > capacity ? TFACCEL_ERR_RESOURCE_EXHAUSTED : TFACCEL_OK;
}
