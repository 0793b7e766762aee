/* MIG on the simulator, enforcing the hardware rules: a profile only at its valid starts on the memory-slice
 * axis, no two GPU instances overlapping, at most 7 compute slices in use, per-profile instance limits,
 * IN_USE while a process runs in an instance, and MIG mode changes only on an idle device. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

const sim_instance* sim_find_instance(const sim_device* device, uint32_t gpu_instance_id) {
    for (uint32_t i = 0; i < SIM_MAX_INSTANCES; i++) {
        if (device->instances[i].in_use && device->instances[i].info.gpu_instance_id == gpu_instance_id) {
            return &device->instances[i];
        }
    }
    return NULL;
}

static const tfaccel_mig_profile* find_profile(const sim_model* model, uint32_t profile_id) {
    for (uint32_t i = 0; i < model->profile_count; i++) {
        if (model->profiles[i].profile_id == profile_id) return &model->profiles[i];
    }
    return NULL;
}

static tfaccel_result mig_device(sim_state* sim, uint32_t index, sim_device** out) {
    tfaccel_result result = sim_get_device(sim, index, out);
    if (result != TFACCEL_OK) return result;
    return (*out)->info.mig_capable ? TFACCEL_OK : TFACCEL_ERR_NOT_SUPPORTED;
}

tfaccel_result sim_mig_set_mode(sim_state* sim, uint32_t index, uint32_t enabled) {
    sim_device* device = NULL;
    tfaccel_result result = mig_device(sim, index, &device);
    if (result != TFACCEL_OK) return result;
    if (device->info.mig_enabled == enabled) return TFACCEL_OK;
    /* A mode change resets the GPU: refused while any process or instance is alive, as NVML does. */
    if (sim_device_has_processes(sim, index, TFACCEL_NO_INSTANCE)) return TFACCEL_ERR_IN_USE;
    for (uint32_t i = 0; i < SIM_MAX_INSTANCES; i++) {
        if (device->instances[i].in_use) return TFACCEL_ERR_IN_USE;
    }
    device->info.mig_enabled = enabled;
    return TFACCEL_OK;
}

tfaccel_result sim_mig_list_profiles(sim_state* sim, uint32_t index, tfaccel_mig_profile* buffer, uint32_t capacity,
                                     uint32_t* count) {
    sim_device* device = NULL;
    tfaccel_result result = mig_device(sim, index, &device);
    if (result != TFACCEL_OK) return result;
    if (capacity < sim->model->profile_count) { *count = sim->model->profile_count; return TFACCEL_ERR_RESOURCE_EXHAUSTED; }
    memcpy(buffer, sim->model->profiles, sizeof(tfaccel_mig_profile) * sim->model->profile_count);
    *count = sim->model->profile_count;
    return TFACCEL_OK;
}

tfaccel_result sim_mig_create(sim_state* sim, uint32_t index, uint32_t profile_id, uint32_t start,
                              tfaccel_mig_instance* out) {
    sim_device* device = NULL;
    tfaccel_result result = mig_device(sim, index, &device);
    if (result != TFACCEL_OK) return result;
    if (!device->info.mig_enabled) return TFACCEL_ERR_NOT_SUPPORTED;
    const tfaccel_mig_profile* profile = find_profile(sim->model, profile_id);
    if (profile == NULL) return TFACCEL_ERR_NOT_FOUND;
    int valid_start = 0;
    for (uint32_t i = 0; i < profile->placement_count; i++) valid_start |= profile->placement_starts[i] == start;
    if (!valid_start) return TFACCEL_ERR_INVALID_ARGUMENT;

    uint32_t compute_used = 0, same_profile = 0, free_slot = SIM_MAX_INSTANCES;
    uint32_t end = start + profile->memory_slices;
    for (uint32_t i = 0; i < SIM_MAX_INSTANCES; i++) {
        const sim_instance* other = &device->instances[i];
        if (!other->in_use) { if (free_slot == SIM_MAX_INSTANCES) free_slot = i; continue; }
        uint32_t other_end = other->info.placement_start + other->info.placement_size;
        if (start < other_end && other->info.placement_start < end) return TFACCEL_ERR_RESOURCE_EXHAUSTED;
        compute_used += other->compute_slices;
        same_profile += other->info.profile_id == profile_id;
    }
    if (compute_used + profile->compute_slices > MIG_COMPUTE_SLICES || same_profile >= profile->max_count ||
        free_slot == SIM_MAX_INSTANCES) {
        return TFACCEL_ERR_RESOURCE_EXHAUSTED;
    }
    sim_instance* instance = &device->instances[free_slot];
    memset(instance, 0, sizeof(*instance));
    instance->in_use = 1;
    instance->compute_slices = profile->compute_slices;
    instance->info.device_index = index;
    instance->info.gpu_instance_id = device->next_instance_id++;
    instance->info.compute_instance_id = 0;
    instance->info.profile_id = profile_id;
    instance->info.placement_start = start;
    instance->info.placement_size = profile->memory_slices;
    char parent[TFACCEL_UUID_LEN];
    tf_copy_string(parent, sizeof(parent), device->info.uuid);
    snprintf(instance->info.uuid, sizeof(instance->info.uuid), "MIG-%.60s-%u", parent, instance->info.gpu_instance_id);
    *out = instance->info;
    return TFACCEL_OK;
}

tfaccel_result sim_mig_destroy(sim_state* sim, uint32_t index, uint32_t gpu_instance_id) {
    sim_device* device = NULL;
    tfaccel_result result = mig_device(sim, index, &device);
    if (result != TFACCEL_OK) return result;
    sim_instance* instance = (sim_instance*)sim_find_instance(device, gpu_instance_id);
    if (instance == NULL) return TFACCEL_ERR_NOT_FOUND;
    if (sim_device_has_processes(sim, index, gpu_instance_id)) return TFACCEL_ERR_IN_USE;
    instance->in_use = 0;
    return TFACCEL_OK;
}

tfaccel_result sim_mig_list(sim_state* sim, uint32_t index, tfaccel_mig_instance* buffer, uint32_t capacity,
                            uint32_t* count) {
    sim_device* device = NULL;
    tfaccel_result result = mig_device(sim, index, &device);
    if (result != TFACCEL_OK) return result;
    uint32_t live = 0;
    for (uint32_t i = 0; i < SIM_MAX_INSTANCES; i++) live += device->instances[i].in_use;
    if (capacity < live) { *count = live; return TFACCEL_ERR_RESOURCE_EXHAUSTED; }
    uint32_t written = 0;
    for (uint32_t i = 0; i < SIM_MAX_INSTANCES; i++) {
        if (device->instances[i].in_use) buffer[written++] = device->instances[i].info;
    }
    *count = written;
    return TFACCEL_OK;
}
