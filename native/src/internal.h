/* Internal declarations shared by the dispatcher and the backends. Not part of the ABI. */
#ifndef TFACCEL_INTERNAL_H
#define TFACCEL_INTERNAL_H

#include <stddef.h>
#include "tfaccel.h"

#define SIM_MAX_DEVICES 16
#define SIM_MAX_INSTANCES 8
#define SIM_MAX_PROCESSES 256
#define SIM_MAX_PROFILES 8
#define MIG_COMPUTE_SLICES 7
#define MIG_MEMORY_SLICES 8

/* A catalog entry the simulator builds its devices from. */
typedef struct {
    const char* name;
    uint64_t memory_bytes;
    uint32_t sm_count;
    double max_tflops;
    uint32_t idle_milliwatts;
    uint32_t max_milliwatts;
    uint32_t profile_count;           /* 0 = not MIG capable */
    tfaccel_mig_profile profiles[SIM_MAX_PROFILES];
} sim_model;

typedef struct {
    uint32_t pid;
    uint32_t device_index;
    uint32_t gpu_instance_id;
    char worker_id[TFACCEL_WORKER_ID_LEN];
    tfaccel_load_model load;
    uint64_t started_ms;
    double* trace;
    uint32_t trace_count;
    double trace_interval_seconds;
} sim_process;

typedef struct {
    uint32_t in_use;
    tfaccel_mig_instance info;
    uint32_t compute_slices;
} sim_instance;

typedef struct {
    tfaccel_device_info info;
    uint32_t last_xid;
    uint32_t next_instance_id;
    sim_instance instances[SIM_MAX_INSTANCES];
} sim_device;

typedef struct sim_state {
    const sim_model* model;
    uint32_t device_count;
    uint64_t seed;
    uint64_t now_ms;
    sim_device devices[SIM_MAX_DEVICES];
    uint32_t process_count;
    sim_process processes[SIM_MAX_PROCESSES];
} sim_state;

struct nvml_state;

struct tfaccel_context {
    uint32_t backend;
    char limits_dir[512];
    sim_state* sim;
    struct nvml_state* nvml;
};

/* helpers (util.c) */
void tf_copy_string(char* destination, size_t size, const char* source);
int tf_valid_worker_id(const char* worker_id);

/* catalog (sim_catalog.c) */
const sim_model* sim_find_model(const char* name);

/* simulator (sim_device.c, sim_mig.c, sim_load.c) */
tfaccel_result sim_create(const tfaccel_sim_config* config, sim_state** out);
void sim_destroy(sim_state* sim);
tfaccel_result sim_list_devices(sim_state* sim, tfaccel_device_info* buffer, uint32_t capacity, uint32_t* count);
tfaccel_result sim_device_metrics(tfaccel_context* context, uint32_t index, tfaccel_device_metrics* out);
tfaccel_result sim_list_processes(tfaccel_context* context, tfaccel_process_usage* buffer, uint32_t capacity,
                                  uint32_t* count);
tfaccel_result sim_start_process(sim_state* sim, uint32_t pid, uint32_t device_index, uint32_t gpu_instance_id,
                                 const char* worker_id, const tfaccel_load_model* load);
tfaccel_result sim_set_trace(sim_state* sim, uint32_t pid, const double* samples, uint32_t count, double interval);
tfaccel_result sim_stop_process(sim_state* sim, uint32_t pid);
tfaccel_result sim_inject_fault(sim_state* sim, uint32_t index, uint32_t health, uint32_t xid);
tfaccel_result sim_get_device(sim_state* sim, uint32_t index, sim_device** out);
int sim_device_has_processes(const sim_state* sim, uint32_t index, uint32_t gpu_instance_id);
double sim_process_fraction(const sim_state* sim, const sim_process* process, double cap);
/* Compute cap (fraction of the device) the worker's agent-owned accounting region sets for a device: 0 = none,
 * -1 = no such region (sim_region.c). */
double sim_region_cap(const char* dir, const char* worker_id, const char* uuid);
tfaccel_result sim_mig_set_mode(sim_state* sim, uint32_t index, uint32_t enabled);
tfaccel_result sim_mig_list_profiles(sim_state* sim, uint32_t index, tfaccel_mig_profile* buffer, uint32_t capacity,
                                     uint32_t* count);
tfaccel_result sim_mig_create(sim_state* sim, uint32_t index, uint32_t profile_id, uint32_t start,
                              tfaccel_mig_instance* out);
tfaccel_result sim_mig_destroy(sim_state* sim, uint32_t index, uint32_t gpu_instance_id);
tfaccel_result sim_mig_list(sim_state* sim, uint32_t index, tfaccel_mig_instance* buffer, uint32_t capacity,
                            uint32_t* count);
const sim_instance* sim_find_instance(const sim_device* device, uint32_t gpu_instance_id);

/* limits files (limits.c) */
tfaccel_result limits_write(const char* dir, const char* worker_id, const tfaccel_worker_limits* entries,
                            uint32_t count);
tfaccel_result limits_read(const char* dir, const char* worker_id, tfaccel_worker_limits* buffer, uint32_t capacity,
                           uint32_t* count);
tfaccel_result limits_remove(const char* dir, const char* worker_id);
tfaccel_result limits_list(const char* dir, tfaccel_worker_name* buffer, uint32_t capacity, uint32_t* count);

/* NVML backend (nvml_backend.c, nvml_mig.c) */
tfaccel_result nvml_open(struct nvml_state** out);
void nvml_close(struct nvml_state* nvml);
tfaccel_result nvml_list_devices(struct nvml_state* nvml, tfaccel_device_info* buffer, uint32_t capacity,
                                 uint32_t* count);
tfaccel_result nvml_device_metrics(struct nvml_state* nvml, uint32_t index, tfaccel_device_metrics* out);
tfaccel_result nvml_list_processes(struct nvml_state* nvml, tfaccel_process_usage* buffer, uint32_t capacity,
                                   uint32_t* count);
tfaccel_result nvml_mig_set_mode(struct nvml_state* nvml, uint32_t index, uint32_t enabled);
tfaccel_result nvml_mig_list_profiles(struct nvml_state* nvml, uint32_t index, tfaccel_mig_profile* buffer,
                                      uint32_t capacity, uint32_t* count);
tfaccel_result nvml_mig_list(struct nvml_state* nvml, uint32_t index, tfaccel_mig_instance* buffer,
                             uint32_t capacity, uint32_t* count);
tfaccel_result nvml_mig_create(struct nvml_state* nvml, uint32_t index, uint32_t profile_id, uint32_t start,
                               tfaccel_mig_instance* out);
tfaccel_result nvml_mig_destroy(struct nvml_state* nvml, uint32_t index, uint32_t gpu_instance_id);

#endif
