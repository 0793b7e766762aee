/* Simulated devices: inventory, metrics, processes and fault injection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

tfaccel_result sim_create(const tfaccel_sim_config* config, sim_state** out) {
    const sim_model* model = sim_find_model(config->model);
    if (model == NULL || config->device_count == 0 || config->device_count > SIM_MAX_DEVICES) {
        return TFACCEL_ERR_INVALID_ARGUMENT;
    }
    sim_state* sim = calloc(1, sizeof(*sim));
    if (sim == NULL) return TFACCEL_ERR_INTERNAL;
    sim->model = model;
    sim->device_count = config->device_count;
    sim->seed = config->seed;
    char prefix[sizeof(config->uuid_prefix)];
    tf_copy_string(prefix, sizeof(prefix), config->uuid_prefix[0] != '\0' ? config->uuid_prefix : "GPU-sim");
    for (uint32_t i = 0; i < sim->device_count; i++) {
        tfaccel_device_info* info = &sim->devices[i].info;
        snprintf(info->uuid, sizeof(info->uuid), "%s-%u", prefix, i);
        tf_copy_string(info->model, sizeof(info->model), model->name);
        info->index = i;
        info->numa_node = (int32_t)(i * 2 / sim->device_count); /* first half on node 0, second on node 1 */
        info->memory_total_bytes = model->memory_bytes;
        info->sm_count = model->sm_count;
        info->mig_capable = model->profile_count > 0;
        info->max_tflops = model->max_tflops;
        sim->devices[i].next_instance_id = 1;
    }
    *out = sim;
    return TFACCEL_OK;
}

void sim_destroy(sim_state* sim) {
    for (uint32_t i = 0; i < sim->process_count; i++) free(sim->processes[i].trace);
    free(sim);
}

tfaccel_result sim_get_device(sim_state* sim, uint32_t index, sim_device** out) {
    if (index >= sim->device_count) return TFACCEL_ERR_NOT_FOUND;
    if (sim->devices[index].info.health == TFACCEL_HEALTH_LOST) return TFACCEL_ERR_GPU_LOST;
    *out = &sim->devices[index];
    return TFACCEL_OK;
}

tfaccel_result sim_list_devices(sim_state* sim, tfaccel_device_info* buffer, uint32_t capacity, uint32_t* count) {
    uint32_t present = 0;
    for (uint32_t i = 0; i < sim->device_count; i++) present += sim->devices[i].info.health != TFACCEL_HEALTH_LOST;
    if (capacity < present) { *count = present; return TFACCEL_ERR_RESOURCE_EXHAUSTED; }
    uint32_t written = 0;
    for (uint32_t i = 0; i < sim->device_count; i++) {
        if (sim->devices[i].info.health != TFACCEL_HEALTH_LOST) buffer[written++] = sim->devices[i].info;
    }
    *count = written;
    return TFACCEL_OK;
}

/* The limiter's compute cap for a process, as a fraction of the device (0 = uncapped). */
static double limiter_cap(tfaccel_context* context, const sim_process* process) {
    if (context->limits_dir[0] == '\0' || process->worker_id[0] == '\0') return 0;
    /* The agent's region, when it keeps one for the worker, is what the shim would enforce. */
    double region = sim_region_cap(context->limits_dir, process->worker_id, context->sim->devices[process->device_index].info.uuid);
    if (region >= 0) return region;
    tfaccel_worker_limits entries[SIM_MAX_DEVICES];
    uint32_t count = 0;
    if (limits_read(context->limits_dir, process->worker_id, entries, SIM_MAX_DEVICES, &count) != TFACCEL_OK) return 0;
    const char* uuid = context->sim->devices[process->device_index].info.uuid;
    for (uint32_t i = 0; i < count; i++) {
        if (strcmp(entries[i].device_uuid, uuid) != 0) continue;
        if (entries[i].compute_hard_percent > 0) return entries[i].compute_hard_percent / 100.0;
        if (entries[i].isolation == TFACCEL_ISOLATION_SOFT && entries[i].compute_soft_percent > 0) {
            return entries[i].compute_soft_percent / 100.0;
        }
    }
    return 0;
}

tfaccel_result sim_device_metrics(tfaccel_context* context, uint32_t index, tfaccel_device_metrics* out) {
    sim_state* sim = context->sim;
    sim_device* device = NULL;
    tfaccel_result result = sim_get_device(sim, index, &device);
    if (result != TFACCEL_OK) return result;
    double utilization = 0;
    uint64_t memory = 0;
    for (uint32_t i = 0; i < sim->process_count; i++) {
        const sim_process* process = &sim->processes[i];
        if (process->device_index != index) continue;
        utilization += sim_process_fraction(sim, process, limiter_cap(context, process));
        memory += process->load.memory_bytes;
    }
    if (utilization > 1) utilization = 1;
    memset(out, 0, sizeof(*out));
    out->index = index;
    out->utilization_percent = (uint32_t)(utilization * 100.0 + 0.5);
    out->memory_used_bytes = memory;
    out->power_milliwatts = sim->model->idle_milliwatts +
                            (uint32_t)((sim->model->max_milliwatts - sim->model->idle_milliwatts) * utilization);
    out->temperature_celsius = 30u + (uint32_t)(45.0 * utilization);
    out->health = device->info.health;
    out->last_xid = device->last_xid;
    return TFACCEL_OK;
}

tfaccel_result sim_list_processes(tfaccel_context* context, tfaccel_process_usage* buffer, uint32_t capacity,
                                  uint32_t* count) {
    sim_state* sim = context->sim;
    uint32_t visible = 0;
    for (uint32_t i = 0; i < sim->process_count; i++) {
        visible += sim->devices[sim->processes[i].device_index].info.health != TFACCEL_HEALTH_LOST;
    }
    if (capacity < visible) { *count = visible; return TFACCEL_ERR_RESOURCE_EXHAUSTED; }
    uint32_t written = 0;
    for (uint32_t i = 0; i < sim->process_count; i++) {
        const sim_process* process = &sim->processes[i];
        if (sim->devices[process->device_index].info.health == TFACCEL_HEALTH_LOST) continue;
        tfaccel_process_usage* usage = &buffer[written++];
        memset(usage, 0, sizeof(*usage));
        usage->pid = process->pid;
        usage->device_index = process->device_index;
        usage->memory_used_bytes = process->load.memory_bytes;
        usage->utilization_percent =
            (uint32_t)(sim_process_fraction(sim, process, limiter_cap(context, process)) * 100.0 + 0.5);
        usage->gpu_instance_id = process->gpu_instance_id;
        tf_copy_string(usage->worker_id, sizeof(usage->worker_id), process->worker_id);
    }
    *count = written;
    return TFACCEL_OK;
}

int sim_device_has_processes(const sim_state* sim, uint32_t index, uint32_t gpu_instance_id) {
    for (uint32_t i = 0; i < sim->process_count; i++) {
        const sim_process* process = &sim->processes[i];
        if (process->device_index != index) continue;
        if (gpu_instance_id == TFACCEL_NO_INSTANCE || process->gpu_instance_id == gpu_instance_id) return 1;
    }
    return 0;
}

tfaccel_result sim_start_process(sim_state* sim, uint32_t pid, uint32_t device_index, uint32_t gpu_instance_id,
                                 const char* worker_id, const tfaccel_load_model* load) {
    if (pid == 0 || load->kind > TFACCEL_LOAD_TRACE) return TFACCEL_ERR_INVALID_ARGUMENT;
    if (worker_id != NULL && worker_id[0] != '\0' && !tf_valid_worker_id(worker_id)) return TFACCEL_ERR_INVALID_ARGUMENT;
    sim_device* device = NULL;
    tfaccel_result result = sim_get_device(sim, device_index, &device);
    if (result != TFACCEL_OK) return result;
    /* With MIG on, CUDA processes can only run inside an instance; with MIG off there are no instances. */
    if (device->info.mig_enabled != (gpu_instance_id != TFACCEL_NO_INSTANCE)) return TFACCEL_ERR_INVALID_ARGUMENT;
    if (gpu_instance_id != TFACCEL_NO_INSTANCE && sim_find_instance(device, gpu_instance_id) == NULL) {
        return TFACCEL_ERR_NOT_FOUND;
    }
    for (uint32_t i = 0; i < sim->process_count; i++) {
        if (sim->processes[i].pid == pid) return TFACCEL_ERR_IN_USE;
    }
    if (sim->process_count == SIM_MAX_PROCESSES) return TFACCEL_ERR_RESOURCE_EXHAUSTED;
    sim_process* process = &sim->processes[sim->process_count++];
    memset(process, 0, sizeof(*process));
    process->pid = pid;
    process->device_index = device_index;
    process->gpu_instance_id = gpu_instance_id;
    tf_copy_string(process->worker_id, sizeof(process->worker_id), worker_id);
    process->load = *load;
    process->started_ms = sim->now_ms;
    return TFACCEL_OK;
}

tfaccel_result sim_set_trace(sim_state* sim, uint32_t pid, const double* samples, uint32_t count, double interval) {
    for (uint32_t i = 0; i < sim->process_count; i++) {
        sim_process* process = &sim->processes[i];
        if (process->pid != pid) continue;
        double* copy = malloc(sizeof(double) * count);
        if (copy == NULL) return TFACCEL_ERR_INTERNAL;
        memcpy(copy, samples, sizeof(double) * count);
        free(process->trace);
        process->trace = copy;
        process->trace_count = count;
        process->trace_interval_seconds = interval;
        return TFACCEL_OK;
    }
    return TFACCEL_ERR_NOT_FOUND;
}

tfaccel_result sim_stop_process(sim_state* sim, uint32_t pid) {
    for (uint32_t i = 0; i < sim->process_count; i++) {
        if (sim->processes[i].pid != pid) continue;
        free(sim->processes[i].trace);
        sim->processes[i] = sim->processes[--sim->process_count];
        return TFACCEL_OK;
    }
    return TFACCEL_ERR_NOT_FOUND;
}

tfaccel_result sim_inject_fault(sim_state* sim, uint32_t index, uint32_t health, uint32_t xid) {
    if (index >= sim->device_count) return TFACCEL_ERR_NOT_FOUND;
    sim->devices[index].info.health = health;
    sim->devices[index].last_xid = health == TFACCEL_HEALTH_OK ? 0 : xid;
    return TFACCEL_OK;
}
