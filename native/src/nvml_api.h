/* The few NVML declarations libtfaccel needs, written from the public NVML API reference so that the build has
 * no dependency on the CUDA toolkit. libnvidia-ml.so.1 is opened with dlopen at run time. */
#ifndef TFACCEL_NVML_API_H
#define TFACCEL_NVML_API_H

#include <stdint.h>

typedef int nvml_return;
typedef void* nvml_device;
typedef void* nvml_gpu_instance;
typedef void* nvml_event_set;
typedef void* nvml_compute_instance;

#define NVML_SUCCESS 0
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NO_PERMISSION 4
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_RESET_REQUIRED 16
#define NVML_ERROR_IN_USE 19
#define NVML_ERROR_INSUFFICIENT_RESOURCES 23
#define NVML_EVENT_TYPE_XID_CRITICAL 0x8ull
#define NVML_GPU_INSTANCE_PROFILE_COUNT 15u
#define NVML_COMPUTE_INSTANCE_PROFILE_COUNT 9u
#define NVML_COMPUTE_INSTANCE_ENGINE_PROFILE_SHARED 0u

typedef struct { unsigned long long total, free, used; } nvml_memory;
typedef struct { unsigned gpu, memory; } nvml_utilization;
typedef struct { unsigned pid; unsigned long long used_gpu_memory; unsigned gpu_instance_id, compute_instance_id; } nvml_process_info;
typedef struct { unsigned pid; unsigned long long timestamp; unsigned sm_util, mem_util, enc_util, dec_util; } nvml_process_sample;
typedef struct {
    unsigned multiprocessor_count, shared_copy_engines, shared_decoders, shared_encoders, shared_jpegs, shared_ofas;
    unsigned gpu_instance_slices, compute_instance_slices;
    unsigned long long memory_size_mb;
} nvml_device_attributes;
typedef struct { nvml_device device; unsigned long long event_type, event_data; unsigned gpu_instance_id, compute_instance_id; } nvml_event_data;
typedef struct {
    unsigned id, is_p2p_supported, slice_count, instance_count, multiprocessor_count, copy_engines, decoders, encoders,
        jpegs, ofas;
    unsigned long long memory_size_mb;
} nvml_gpu_instance_profile_info;
/* nvmlGpuInstanceProfileInfo_v2_t: adds the driver's own profile name ("1g.18gb"); version = size | 2 << 24. */
typedef struct {
    unsigned version, id, is_p2p_supported, slice_count, instance_count, multiprocessor_count, copy_engines, decoders,
        encoders, jpegs, ofas;
    unsigned long long memory_size_mb;
    char name[96];
} nvml_gpu_instance_profile_info_v2;
typedef struct { unsigned start, size; } nvml_placement;
typedef struct {
    unsigned id, slice_count, instance_count, multiprocessor_count, shared_copy_engines, shared_decoders,
        shared_encoders, shared_jpegs, shared_ofas;
} nvml_compute_instance_profile_info;
typedef struct { nvml_device device; unsigned id, profile_id; nvml_placement placement; } nvml_gpu_instance_info;

/* Function table filled by dlsym; optional entries may stay NULL on old drivers. */
typedef struct {
    nvml_return (*init)(void);
    nvml_return (*shutdown)(void);
    nvml_return (*device_count)(unsigned*);
    nvml_return (*device_by_index)(unsigned, nvml_device*);
    nvml_return (*device_uuid)(nvml_device, char*, unsigned);
    nvml_return (*device_name)(nvml_device, char*, unsigned);
    nvml_return (*device_memory)(nvml_device, nvml_memory*);
    nvml_return (*device_attributes)(nvml_device, nvml_device_attributes*);
    nvml_return (*device_numa_node)(nvml_device, unsigned*);
    nvml_return (*device_mig_mode)(nvml_device, unsigned*, unsigned*);
    nvml_return (*device_set_mig_mode)(nvml_device, unsigned, nvml_return*);
    nvml_return (*device_utilization)(nvml_device, nvml_utilization*);
    nvml_return (*device_power)(nvml_device, unsigned*);
    nvml_return (*device_temperature)(nvml_device, int, unsigned*);
    nvml_return (*device_processes)(nvml_device, unsigned*, nvml_process_info*);
    nvml_return (*device_process_utilization)(nvml_device, nvml_process_sample*, unsigned*, unsigned long long);
    nvml_return (*event_set_create)(nvml_event_set*);
    nvml_return (*register_events)(nvml_device, unsigned long long, nvml_event_set);
    nvml_return (*event_set_wait)(nvml_event_set, nvml_event_data*, unsigned);
    nvml_return (*event_set_free)(nvml_event_set);
    nvml_return (*gi_profile_info)(nvml_device, unsigned, nvml_gpu_instance_profile_info*);
    nvml_return (*gi_profile_info_v)(nvml_device, unsigned, nvml_gpu_instance_profile_info_v2*);
    nvml_return (*gi_placements)(nvml_device, unsigned, nvml_placement*, unsigned*);
    nvml_return (*gi_list)(nvml_device, unsigned, nvml_gpu_instance*, unsigned*);
    nvml_return (*gi_info)(nvml_gpu_instance, nvml_gpu_instance_info*);
    /* MIG instance lifecycle (nvml_mig_instances.c). */
    nvml_return (*gi_create_with_placement)(nvml_device, unsigned, const nvml_placement*, nvml_gpu_instance*);
    nvml_return (*gi_by_id)(nvml_device, unsigned, nvml_gpu_instance*);
    nvml_return (*gi_destroy)(nvml_gpu_instance);
    nvml_return (*ci_profile_info)(nvml_gpu_instance, unsigned, unsigned, nvml_compute_instance_profile_info*);
    nvml_return (*ci_create)(nvml_gpu_instance, unsigned, nvml_compute_instance*);
    nvml_return (*ci_list)(nvml_gpu_instance, unsigned, nvml_compute_instance*, unsigned*);
    nvml_return (*ci_destroy)(nvml_compute_instance);
    nvml_return (*max_mig_devices)(nvml_device, unsigned*);
    nvml_return (*mig_device_by_index)(nvml_device, unsigned, nvml_device*);
    nvml_return (*mig_device_gi_id)(nvml_device, unsigned*);
} nvml_functions;

#define NVML_MAX_DEVICES 64

typedef struct nvml_state {
    void* library;
    nvml_functions fn;
    unsigned device_count;
    nvml_device devices[NVML_MAX_DEVICES];
    uint32_t health[NVML_MAX_DEVICES];
    uint32_t last_xid[NVML_MAX_DEVICES];
    nvml_event_set events;
} nvml_state;

tfaccel_result nvml_map_error(nvml_return code);
tfaccel_result nvml_device_at(nvml_state* nvml, uint32_t index, nvml_device* out);
/* SM count of the largest GPU-instance profile (the whole GPU), 0 when the GPU has no MIG profiles. */
uint32_t nvml_full_profile_sm_count(nvml_state* nvml, nvml_device device);
/* Writes the MIG device UUID ("MIG-...") of GPU instance gi_id, or "gi-<device>-<id>" when NVML cannot say. */
void nvml_mig_uuid(nvml_state* nvml, uint32_t index, nvml_device device, unsigned gi_id, char* out, unsigned size);

#endif
