/* NVML backend: MIG instance lifecycle. A tfaccel "instance" is one GPU instance holding one compute instance that
 * spans all of it, so creation is two NVML steps; if the second fails the first is undone, so a partition is never
 * left half-made. Destruction removes the compute instances first (NVML refuses to destroy a GPU instance that
 * still holds one) and reports IN_USE while processes run on it. MIG mode itself is never changed here. */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "nvml_api.h"

#define NVML_MAX_COMPUTE_INSTANCES 8

static int lifecycle_loaded(const nvml_state* nvml) {
    return nvml->fn.gi_create_with_placement != NULL && nvml->fn.gi_by_id != NULL && nvml->fn.gi_destroy != NULL &&
           nvml->fn.gi_info != NULL && nvml->fn.ci_profile_info != NULL && nvml->fn.ci_create != NULL &&
           nvml->fn.ci_list != NULL && nvml->fn.ci_destroy != NULL;
}

void nvml_mig_uuid(nvml_state* nvml, uint32_t index, nvml_device device, unsigned gi_id, char* out, unsigned size) {
    snprintf(out, size, "gi-%u-%u", index, gi_id);
    unsigned max = 0;
    if (nvml->fn.max_mig_devices == NULL || nvml->fn.mig_device_by_index == NULL || nvml->fn.mig_device_gi_id == NULL ||
        nvml->fn.max_mig_devices(device, &max) != NVML_SUCCESS) {
        return;
    }
    for (unsigned i = 0; i < max; i++) {
        nvml_device mig;
        unsigned id = 0;
        if (nvml->fn.mig_device_by_index(device, i, &mig) != NVML_SUCCESS) continue;
        if (nvml->fn.mig_device_gi_id(mig, &id) != NVML_SUCCESS || id != gi_id) continue;
        char uuid[TFACCEL_UUID_LEN];
        if (nvml->fn.device_uuid(mig, uuid, sizeof(uuid)) == NVML_SUCCESS) snprintf(out, size, "%s", uuid);
        return;
    }
}

/* The compute-instance profile whose slice count equals the GPU instance's: one compute instance over all of it. */
static nvml_return full_compute_profile(nvml_state* nvml, nvml_gpu_instance gi, unsigned slices, unsigned* profile_id) {
    nvml_return last = NVML_ERROR_NOT_FOUND;
    for (unsigned p = 0; p < NVML_COMPUTE_INSTANCE_PROFILE_COUNT; p++) {
        nvml_compute_instance_profile_info info;
        memset(&info, 0, sizeof(info));
        last = nvml->fn.ci_profile_info(gi, p, NVML_COMPUTE_INSTANCE_ENGINE_PROFILE_SHARED, &info);
        if (last == NVML_SUCCESS && info.slice_count == slices) {
            *profile_id = info.id;
            return NVML_SUCCESS;
        }
    }
    return last == NVML_SUCCESS ? NVML_ERROR_NOT_FOUND : last;
}

static nvml_return gpu_instance_slices(nvml_state* nvml, nvml_device device, unsigned profile_id, unsigned* slices) {
    for (unsigned p = 0; p < NVML_GPU_INSTANCE_PROFILE_COUNT; p++) {
        nvml_gpu_instance_profile_info info;
        memset(&info, 0, sizeof(info));
        if (nvml->fn.gi_profile_info(device, p, &info) == NVML_SUCCESS && info.id == profile_id) {
            *slices = info.slice_count;
            return NVML_SUCCESS;
        }
    }
    return NVML_ERROR_NOT_FOUND;
}

static nvml_return destroy_compute_instances(nvml_state* nvml, nvml_gpu_instance gi) {
    for (unsigned p = 0; p < NVML_COMPUTE_INSTANCE_PROFILE_COUNT; p++) {
        nvml_compute_instance_profile_info info;
        if (nvml->fn.ci_profile_info(gi, p, NVML_COMPUTE_INSTANCE_ENGINE_PROFILE_SHARED, &info) != NVML_SUCCESS) continue;
        nvml_compute_instance instances[NVML_MAX_COMPUTE_INSTANCES];
        unsigned n = NVML_MAX_COMPUTE_INSTANCES;
        if (nvml->fn.ci_list(gi, info.id, instances, &n) != NVML_SUCCESS) continue;
        for (unsigned i = 0; i < n; i++) {
            nvml_return status = nvml->fn.ci_destroy(instances[i]);
            if (status != NVML_SUCCESS) return status;
        }
    }
    return NVML_SUCCESS;
}

tfaccel_result nvml_mig_create(nvml_state* nvml, uint32_t index, uint32_t profile_id, uint32_t start,
                               tfaccel_mig_instance* out) {
    nvml_device device;
    tfaccel_result result = nvml_device_at(nvml, index, &device);
    if (result != TFACCEL_OK) return result;
    if (!lifecycle_loaded(nvml) || nvml->fn.gi_profile_info == NULL) return TFACCEL_ERR_NOT_SUPPORTED;
    unsigned slices = 0;
    nvml_return status = gpu_instance_slices(nvml, device, profile_id, &slices);
    if (status != NVML_SUCCESS) return nvml_map_error(status);

    nvml_placement placement = {start, 0};
    nvml_gpu_instance gi = NULL;
    status = nvml->fn.gi_create_with_placement(device, profile_id, &placement, &gi);
    if (status != NVML_SUCCESS) return nvml_map_error(status);

    unsigned ci_profile = 0;
    nvml_compute_instance ci = NULL;
    status = full_compute_profile(nvml, gi, slices, &ci_profile);
    if (status == NVML_SUCCESS) status = nvml->fn.ci_create(gi, ci_profile, &ci);
    nvml_gpu_instance_info info;
    memset(&info, 0, sizeof(info));
    if (status == NVML_SUCCESS) status = nvml->fn.gi_info(gi, &info);
    if (status != NVML_SUCCESS) {
        /* Roll back: never leave a GPU instance without its compute instance. */
        destroy_compute_instances(nvml, gi);
        nvml->fn.gi_destroy(gi);
        return nvml_map_error(status);
    }
    memset(out, 0, sizeof(*out));
    out->device_index = index;
    out->gpu_instance_id = info.id;
    out->compute_instance_id = 0;
    out->profile_id = info.profile_id;
    out->placement_start = info.placement.start;
    out->placement_size = info.placement.size;
    nvml_mig_uuid(nvml, index, device, info.id, out->uuid, sizeof(out->uuid));
    return TFACCEL_OK;
}

tfaccel_result nvml_mig_destroy(nvml_state* nvml, uint32_t index, uint32_t gpu_instance_id) {
    nvml_device device;
    tfaccel_result result = nvml_device_at(nvml, index, &device);
    if (result != TFACCEL_OK) return result;
    if (!lifecycle_loaded(nvml)) return TFACCEL_ERR_NOT_SUPPORTED;
    nvml_gpu_instance gi = NULL;
    nvml_return status = nvml->fn.gi_by_id(device, gpu_instance_id, &gi);
    if (status != NVML_SUCCESS) return nvml_map_error(status);
    status = destroy_compute_instances(nvml, gi);
    if (status == NVML_SUCCESS) status = nvml->fn.gi_destroy(gi);
    return nvml_map_error(status);
}
