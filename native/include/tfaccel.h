/* libtfaccel: a small, versioned C ABI over GPU accelerators (NVML or a simulator).
 *
 * Conventions (ABI stability):
 *   - every export starts with tfaccel_ and returns a tfaccel_result (except tfaccel_abi_version and
 *     tfaccel_result_name);
 *   - structs use fixed-width types only and are caller-allocated; list functions take (buffer, capacity,
 *     *count): on success *count is the number written; when the buffer is too small they set *count to
 *     the number needed and return TFACCEL_ERR_RESOURCE_EXHAUSTED (the buffer's content is then unspecified);
 *   - strings inside structs are NUL-terminated UTF-8 in fixed char arrays;
 *   - a context is owned by one caller at a time (the library does no locking inside a context);
 *     several contexts may live in one process (local mode runs one simulated node per context).
 */
#ifndef TFACCEL_H
#define TFACCEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFACCEL_API __attribute__((visibility("default")))

/* ABI version: bumped on any incompatible change to exported functions or structs. */
#define TFACCEL_ABI_VERSION 2u

typedef int32_t tfaccel_result;
#define TFACCEL_OK 0
#define TFACCEL_ERR_INVALID_ARGUMENT 1
#define TFACCEL_ERR_NOT_FOUND 2
#define TFACCEL_ERR_NOT_SUPPORTED 3
#define TFACCEL_ERR_RESOURCE_EXHAUSTED 4
#define TFACCEL_ERR_IN_USE 5
#define TFACCEL_ERR_INTERNAL 6
/* init only: the NVIDIA driver (libnvidia-ml.so.1) is absent or did not initialise. */
#define TFACCEL_ERR_NO_DRIVER 7
/* the device fell off the bus or needs a reset (NVML GPU_IS_LOST / RESET_REQUIRED). */
#define TFACCEL_ERR_GPU_LOST 8

#define TFACCEL_BACKEND_NVML 0u
#define TFACCEL_BACKEND_SIMULATOR 1u

#define TFACCEL_UUID_LEN 96
#define TFACCEL_NAME_LEN 64
#define TFACCEL_WORKER_ID_LEN 128
#define TFACCEL_MAX_PLACEMENTS 8
#define TFACCEL_NO_INSTANCE 0xFFFFFFFFu

#define TFACCEL_HEALTH_OK 0u
#define TFACCEL_HEALTH_XID_CRITICAL 1u
#define TFACCEL_HEALTH_LOST 2u

#define TFACCEL_ISOLATION_SHARED 0u
#define TFACCEL_ISOLATION_SOFT 1u
#define TFACCEL_ISOLATION_HARD 2u
#define TFACCEL_ISOLATION_PARTITIONED 3u

#define TFACCEL_LOAD_CONSTANT 0u
#define TFACCEL_LOAD_SINE 1u
#define TFACCEL_LOAD_STEP 2u
#define TFACCEL_LOAD_TRACE 3u

typedef struct tfaccel_context tfaccel_context;

/* Simulator configuration: device_count devices of one catalog model. */
typedef struct {
    char model[TFACCEL_NAME_LEN];     /* "A100-40GB", "A100-80GB", "H100-80GB", "H200-141GB", "L4" */
    char uuid_prefix[32];             /* device uuids are "<prefix>-<index>"; make it unique per node */
    uint32_t device_count;            /* 1..16 */
    uint32_t reserved;
    uint64_t seed;                    /* seeds the load-model noise */
} tfaccel_sim_config;

typedef struct {
    char uuid[TFACCEL_UUID_LEN];
    char model[TFACCEL_NAME_LEN];
    uint32_t index;
    int32_t numa_node;                /* -1 when unknown */
    uint64_t memory_total_bytes;
    uint32_t sm_count;
    uint32_t mig_capable;             /* 0 or 1 */
    uint32_t mig_enabled;             /* current MIG mode, 0 or 1 */
    uint32_t health;                  /* TFACCEL_HEALTH_* */
    double max_tflops;                /* dense FP16; 0 when unknown */
} tfaccel_device_info;

typedef struct {
    uint32_t index;
    uint32_t utilization_percent;     /* SM utilisation 0..100 */
    uint64_t memory_used_bytes;
    uint32_t power_milliwatts;
    uint32_t temperature_celsius;
    uint32_t health;                  /* TFACCEL_HEALTH_* */
    uint32_t last_xid;                /* last critical Xid seen, 0 if none */
} tfaccel_device_metrics;

typedef struct {
    uint32_t pid;
    uint32_t device_index;
    uint64_t memory_used_bytes;
    uint32_t utilization_percent;     /* share of the whole device's SMs, 0..100 */
    uint32_t gpu_instance_id;         /* TFACCEL_NO_INSTANCE outside MIG */
    char worker_id[TFACCEL_WORKER_ID_LEN]; /* empty when the backend cannot attribute the process */
} tfaccel_process_usage;

typedef struct {
    char name[32];                    /* "1g.10gb", "3g.40gb", ... */
    uint32_t profile_id;              /* NVML GPU-instance profile id (19, 15, 14, 9, 5, 0, 20) */
    uint32_t compute_slices;          /* of 7 */
    uint32_t memory_slices;           /* of 8 */
    uint32_t max_count;
    uint64_t memory_bytes;
    uint32_t sm_count;
    uint32_t placement_count;
    uint32_t placement_starts[TFACCEL_MAX_PLACEMENTS]; /* valid starts on the memory-slice axis */
} tfaccel_mig_profile;

typedef struct {
    char uuid[TFACCEL_UUID_LEN];
    uint32_t device_index;
    uint32_t gpu_instance_id;
    uint32_t compute_instance_id;
    uint32_t profile_id;
    uint32_t placement_start;
    uint32_t placement_size;
} tfaccel_mig_instance;

typedef struct {
    char device_uuid[TFACCEL_UUID_LEN];
    uint32_t isolation;               /* TFACCEL_ISOLATION_* */
    uint32_t compute_soft_percent;    /* soft target (request), 0..100; 0 = none */
    uint32_t compute_hard_percent;    /* hard cap (limit), 0..100; 0 = none */
    uint32_t reserved;
    uint64_t memory_soft_bytes;       /* 0 = none */
    uint64_t memory_hard_bytes;       /* 0 = none */
} tfaccel_worker_limits;

typedef struct {
    char worker_id[TFACCEL_WORKER_ID_LEN];
} tfaccel_worker_name;

/* Load model of a simulated process: utilisation is a fraction (0..1) of the device, or of the MIG
 * instance the process runs in; noise adds a deterministic uniform term in [-noise, +noise]. */
typedef struct {
    uint32_t kind;                    /* TFACCEL_LOAD_* */
    uint32_t reserved;
    double base;                      /* constant level; sine midline; step level before step_at */
    double amplitude;                 /* sine amplitude */
    double period_seconds;            /* sine period */
    double step_at_seconds;           /* step time, relative to the process start */
    double step_level;                /* level from step_at on */
    double noise;
    uint64_t memory_bytes;            /* device memory the process holds */
} tfaccel_load_model;

TFACCEL_API uint32_t tfaccel_abi_version(void);
TFACCEL_API const char* tfaccel_result_name(tfaccel_result result);

/* Size in bytes of an ABI struct, so bindings can check their layout against the compiled library; 0 for an
 * unknown id. Ids: 1 sim_config, 2 device_info, 3 device_metrics, 4 process_usage, 5 mig_profile,
 * 6 mig_instance, 7 worker_limits, 8 worker_name, 9 load_model. */
TFACCEL_API uint32_t tfaccel_struct_size(uint32_t struct_id);

/* limits_dir: directory for per-worker limit files (created if missing); NULL or "" disables limits. */
TFACCEL_API tfaccel_result tfaccel_init(uint32_t backend, const tfaccel_sim_config* sim, const char* limits_dir,
                                        tfaccel_context** out_context);
TFACCEL_API tfaccel_result tfaccel_shutdown(tfaccel_context* context);

TFACCEL_API tfaccel_result tfaccel_list_devices(tfaccel_context* context, tfaccel_device_info* buffer,
                                                uint32_t capacity, uint32_t* count);
TFACCEL_API tfaccel_result tfaccel_device_metrics_get(tfaccel_context* context, uint32_t device_index,
                                                      tfaccel_device_metrics* out);
TFACCEL_API tfaccel_result tfaccel_list_processes(tfaccel_context* context, tfaccel_process_usage* buffer,
                                                  uint32_t capacity, uint32_t* count);

TFACCEL_API tfaccel_result tfaccel_mig_set_mode(tfaccel_context* context, uint32_t device_index, uint32_t enabled);
TFACCEL_API tfaccel_result tfaccel_mig_list_profiles(tfaccel_context* context, uint32_t device_index,
                                                     tfaccel_mig_profile* buffer, uint32_t capacity, uint32_t* count);
/* Creates a GPU instance of profile_id at placement_start and one full compute instance inside it. */
TFACCEL_API tfaccel_result tfaccel_mig_create_instance(tfaccel_context* context, uint32_t device_index,
                                                       uint32_t profile_id, uint32_t placement_start,
                                                       tfaccel_mig_instance* out);
TFACCEL_API tfaccel_result tfaccel_mig_destroy_instance(tfaccel_context* context, uint32_t device_index,
                                                        uint32_t gpu_instance_id);
TFACCEL_API tfaccel_result tfaccel_mig_list_instances(tfaccel_context* context, uint32_t device_index,
                                                      tfaccel_mig_instance* buffer, uint32_t capacity,
                                                      uint32_t* count);

/* worker_id: 1..127 characters of [A-Za-z0-9._-]; one file "<limits_dir>/<worker_id>.limits" per worker. */
TFACCEL_API tfaccel_result tfaccel_limits_set(tfaccel_context* context, const char* worker_id,
                                              const tfaccel_worker_limits* entries, uint32_t entry_count);
TFACCEL_API tfaccel_result tfaccel_limits_get(tfaccel_context* context, const char* worker_id,
                                              tfaccel_worker_limits* buffer, uint32_t capacity, uint32_t* count);
TFACCEL_API tfaccel_result tfaccel_limits_remove(tfaccel_context* context, const char* worker_id);
TFACCEL_API tfaccel_result tfaccel_limits_list(tfaccel_context* context, tfaccel_worker_name* buffer,
                                               uint32_t capacity, uint32_t* count);

/* Simulator only (NOT_SUPPORTED on NVML). Time is milliseconds on the caller's clock. */
TFACCEL_API tfaccel_result tfaccel_sim_set_time(tfaccel_context* context, uint64_t now_ms);
TFACCEL_API tfaccel_result tfaccel_sim_start_process(tfaccel_context* context, uint32_t pid, uint32_t device_index,
                                                     uint32_t gpu_instance_id, const char* worker_id,
                                                     const tfaccel_load_model* load);
TFACCEL_API tfaccel_result tfaccel_sim_set_trace(tfaccel_context* context, uint32_t pid, const double* samples,
                                                 uint32_t sample_count, double interval_seconds);
TFACCEL_API tfaccel_result tfaccel_sim_stop_process(tfaccel_context* context, uint32_t pid);
/* health: TFACCEL_HEALTH_XID_CRITICAL (with xid) or TFACCEL_HEALTH_LOST; TFACCEL_HEALTH_OK restores. */
TFACCEL_API tfaccel_result tfaccel_sim_inject_fault(tfaccel_context* context, uint32_t device_index, uint32_t health,
                                                    uint32_t xid);

#ifdef __cplusplus
}
#endif

#endif /* TFACCEL_H */
