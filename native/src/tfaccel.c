/* The exported ABI: argument checks, then dispatch to the chosen backend. */
#include <stdlib.h>
#include <sys/stat.h>
#include "internal.h"

#define REQUIRE(condition) do { if (!(condition)) return TFACCEL_ERR_INVALID_ARGUMENT; } while (0)
#define IS_SIM(context) ((context)->backend == TFACCEL_BACKEND_SIMULATOR)

uint32_t tfaccel_abi_version(void) { return TFACCEL_ABI_VERSION; }

const char* tfaccel_result_name(tfaccel_result result) {
    switch (result) {
    case TFACCEL_OK: return "ok";
    case TFACCEL_ERR_INVALID_ARGUMENT: return "invalid argument";
    case TFACCEL_ERR_NOT_FOUND: return "not found";
    case TFACCEL_ERR_NOT_SUPPORTED: return "not supported";
    case TFACCEL_ERR_RESOURCE_EXHAUSTED: return "resource exhausted";
    case TFACCEL_ERR_IN_USE: return "in use";
    case TFACCEL_ERR_INTERNAL: return "internal error";
    case TFACCEL_ERR_NO_DRIVER: return "no NVIDIA driver";
    case TFACCEL_ERR_GPU_LOST: return "gpu lost";
    default: return "unknown result";
    }
}

uint32_t tfaccel_struct_size(uint32_t struct_id) {
    switch (struct_id) {
    case 1: return sizeof(tfaccel_sim_config);
    case 2: return sizeof(tfaccel_device_info);
    case 3: return sizeof(tfaccel_device_metrics);
    case 4: return sizeof(tfaccel_process_usage);
    case 5: return sizeof(tfaccel_mig_profile);
    case 6: return sizeof(tfaccel_mig_instance);
    case 7: return sizeof(tfaccel_worker_limits);
    case 8: return sizeof(tfaccel_worker_name);
    case 9: return sizeof(tfaccel_load_model);
    default: return 0;
    }
}

tfaccel_result tfaccel_init(uint32_t backend, const tfaccel_sim_config* sim, const char* limits_dir,
                            tfaccel_context** out_context) {
    REQUIRE(out_context != NULL);
    *out_context = NULL;
    REQUIRE(backend == TFACCEL_BACKEND_NVML || backend == TFACCEL_BACKEND_SIMULATOR);
    REQUIRE(backend == TFACCEL_BACKEND_NVML || sim != NULL);
    tfaccel_context* context = calloc(1, sizeof(*context));
    if (context == NULL) return TFACCEL_ERR_INTERNAL;
    context->backend = backend;
    if (limits_dir != NULL && limits_dir[0] != '\0') {
        size_t length = 0;
        while (limits_dir[length] != '\0') length++;
        if (length >= sizeof(context->limits_dir) - 1) { free(context); return TFACCEL_ERR_INVALID_ARGUMENT; }
        tf_copy_string(context->limits_dir, sizeof(context->limits_dir), limits_dir);
        mkdir(limits_dir, 0755); /* an existing directory is fine; a failure shows up on first write */
    }
    tfaccel_result result = backend == TFACCEL_BACKEND_SIMULATOR ? sim_create(sim, &context->sim)
                                                                   : nvml_open(&context->nvml);
    if (result != TFACCEL_OK) { free(context); return result; }
    *out_context = context;
    return TFACCEL_OK;
}

tfaccel_result tfaccel_shutdown(tfaccel_context* context) {
    REQUIRE(context != NULL);
    if (context->sim != NULL) sim_destroy(context->sim);
    if (context->nvml != NULL) nvml_close(context->nvml);
    free(context);
    return TFACCEL_OK;
}

tfaccel_result tfaccel_list_devices(tfaccel_context* context, tfaccel_device_info* buffer, uint32_t capacity,
                                    uint32_t* count) {
    REQUIRE(context != NULL && count != NULL && (buffer != NULL || capacity == 0));
    return IS_SIM(context) ? sim_list_devices(context->sim, buffer, capacity, count)
                           : nvml_list_devices(context->nvml, buffer, capacity, count);
}

tfaccel_result tfaccel_device_metrics_get(tfaccel_context* context, uint32_t device_index,
                                          tfaccel_device_metrics* out) {
    REQUIRE(context != NULL && out != NULL);
    return IS_SIM(context) ? sim_device_metrics(context, device_index, out)
                           : nvml_device_metrics(context->nvml, device_index, out);
}

tfaccel_result tfaccel_list_processes(tfaccel_context* context, tfaccel_process_usage* buffer, uint32_t capacity,
                                      uint32_t* count) {
    REQUIRE(context != NULL && count != NULL && (buffer != NULL || capacity == 0));
    return IS_SIM(context) ? sim_list_processes(context, buffer, capacity, count)
                           : nvml_list_processes(context->nvml, buffer, capacity, count);
}

tfaccel_result tfaccel_mig_set_mode(tfaccel_context* context, uint32_t device_index, uint32_t enabled) {
    REQUIRE(context != NULL && enabled <= 1);
    return IS_SIM(context) ? sim_mig_set_mode(context->sim, device_index, enabled)
                           : nvml_mig_set_mode(context->nvml, device_index, enabled);
}

tfaccel_result tfaccel_mig_list_profiles(tfaccel_context* context, uint32_t device_index, tfaccel_mig_profile* buffer,
                                         uint32_t capacity, uint32_t* count) {
    REQUIRE(context != NULL && count != NULL && (buffer != NULL || capacity == 0));
    return IS_SIM(context) ? sim_mig_list_profiles(context->sim, device_index, buffer, capacity, count)
                           : nvml_mig_list_profiles(context->nvml, device_index, buffer, capacity, count);
}

tfaccel_result tfaccel_mig_create_instance(tfaccel_context* context, uint32_t device_index, uint32_t profile_id,
                                           uint32_t placement_start, tfaccel_mig_instance* out) {
    REQUIRE(context != NULL && out != NULL);
    return IS_SIM(context) ? sim_mig_create(context->sim, device_index, profile_id, placement_start, out)
                           : nvml_mig_create(context->nvml, device_index, profile_id, placement_start, out);
}

tfaccel_result tfaccel_mig_destroy_instance(tfaccel_context* context, uint32_t device_index,
                                            uint32_t gpu_instance_id) {
    REQUIRE(context != NULL);
    return IS_SIM(context) ? sim_mig_destroy(context->sim, device_index, gpu_instance_id)
                           : nvml_mig_destroy(context->nvml, device_index, gpu_instance_id);
}

tfaccel_result tfaccel_mig_list_instances(tfaccel_context* context, uint32_t device_index,
                                          tfaccel_mig_instance* buffer, uint32_t capacity, uint32_t* count) {
    REQUIRE(context != NULL && count != NULL && (buffer != NULL || capacity == 0));
    return IS_SIM(context) ? sim_mig_list(context->sim, device_index, buffer, capacity, count)
                           : nvml_mig_list(context->nvml, device_index, buffer, capacity, count);
}

tfaccel_result tfaccel_limits_set(tfaccel_context* context, const char* worker_id,
                                  const tfaccel_worker_limits* entries, uint32_t entry_count) {
    REQUIRE(context != NULL && tf_valid_worker_id(worker_id) && (entries != NULL || entry_count == 0));
    if (context->limits_dir[0] == '\0') return TFACCEL_ERR_NOT_SUPPORTED;
    return limits_write(context->limits_dir, worker_id, entries, entry_count);
}

tfaccel_result tfaccel_limits_get(tfaccel_context* context, const char* worker_id, tfaccel_worker_limits* buffer,
                                  uint32_t capacity, uint32_t* count) {
    REQUIRE(context != NULL && tf_valid_worker_id(worker_id) && count != NULL && (buffer != NULL || capacity == 0));
    if (context->limits_dir[0] == '\0') return TFACCEL_ERR_NOT_SUPPORTED;
    return limits_read(context->limits_dir, worker_id, buffer, capacity, count);
}

tfaccel_result tfaccel_limits_remove(tfaccel_context* context, const char* worker_id) {
    REQUIRE(context != NULL && tf_valid_worker_id(worker_id));
    if (context->limits_dir[0] == '\0') return TFACCEL_ERR_NOT_SUPPORTED;
    return limits_remove(context->limits_dir, worker_id);
}

tfaccel_result tfaccel_limits_list(tfaccel_context* context, tfaccel_worker_name* buffer, uint32_t capacity,
                                   uint32_t* count) {
    REQUIRE(context != NULL && count != NULL && (buffer != NULL || capacity == 0));
    if (context->limits_dir[0] == '\0') return TFACCEL_ERR_NOT_SUPPORTED;
    return limits_list(context->limits_dir, buffer, capacity, count);
}

tfaccel_result tfaccel_sim_set_time(tfaccel_context* context, uint64_t now_ms) {
    REQUIRE(context != NULL);
    if (!IS_SIM(context)) return TFACCEL_ERR_NOT_SUPPORTED;
    if (now_ms < context->sim->now_ms) return TFACCEL_ERR_INVALID_ARGUMENT; /* simulated time never runs back */
    context->sim->now_ms = now_ms;
    return TFACCEL_OK;
}

tfaccel_result tfaccel_sim_start_process(tfaccel_context* context, uint32_t pid, uint32_t device_index,
                                         uint32_t gpu_instance_id, const char* worker_id,
                                         const tfaccel_load_model* load) {
    REQUIRE(context != NULL && load != NULL);
    if (!IS_SIM(context)) return TFACCEL_ERR_NOT_SUPPORTED;
    return sim_start_process(context->sim, pid, device_index, gpu_instance_id, worker_id, load);
}

tfaccel_result tfaccel_sim_set_trace(tfaccel_context* context, uint32_t pid, const double* samples,
                                     uint32_t sample_count, double interval_seconds) {
    REQUIRE(context != NULL && samples != NULL && sample_count > 0 && interval_seconds > 0);
    if (!IS_SIM(context)) return TFACCEL_ERR_NOT_SUPPORTED;
    return sim_set_trace(context->sim, pid, samples, sample_count, interval_seconds);
}

tfaccel_result tfaccel_sim_stop_process(tfaccel_context* context, uint32_t pid) {
    REQUIRE(context != NULL);
    if (!IS_SIM(context)) return TFACCEL_ERR_NOT_SUPPORTED;
    return sim_stop_process(context->sim, pid);
}

tfaccel_result tfaccel_sim_inject_fault(tfaccel_context* context, uint32_t device_index, uint32_t health,
                                        uint32_t xid) {
    REQUIRE(context != NULL && health <= TFACCEL_HEALTH_LOST);
    if (!IS_SIM(context)) return TFACCEL_ERR_NOT_SUPPORTED;
    return sim_inject_fault(context->sim, device_index, health, xid);
}
