/* tfaccel-probe: prints a short report of what libtfaccel sees through the NVML backend (devices, metrics,
 * processes, MIG profiles and instances). Used by scripts/gpu-check.sh. Exit codes: 0 report printed,
 * 3 no NVIDIA driver (a clear report, not a crash), 1 any other failure. `--sim MODEL N` probes the simulator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tfaccel.h"

static void print_mig(tfaccel_context* context, const tfaccel_device_info* device) {
    tfaccel_mig_profile profiles[16];
    uint32_t count = 0;
    tfaccel_result result = tfaccel_mig_list_profiles(context, device->index, profiles, 16, &count);
    if (result != TFACCEL_OK) {
        printf("    mig profiles: %s\n", tfaccel_result_name(result));
        return;
    }
    for (uint32_t p = 0; p < count; p++) {
        printf("    mig profile %-10s id=%-2u compute=%u memory=%u max=%u sms=%u starts=", profiles[p].name,
               profiles[p].profile_id, profiles[p].compute_slices, profiles[p].memory_slices, profiles[p].max_count,
               profiles[p].sm_count);
        for (uint32_t k = 0; k < profiles[p].placement_count; k++) printf("%s%u", k ? "," : "", profiles[p].placement_starts[k]);
        printf("\n");
    }
    tfaccel_mig_instance instances[16];
    result = tfaccel_mig_list_instances(context, device->index, instances, 16, &count);
    if (result != TFACCEL_OK) { printf("    mig instances: %s\n", tfaccel_result_name(result)); return; }
    printf("    mig instances: %u\n", count);
    for (uint32_t i = 0; i < count; i++) {
        printf("      gi=%u profile=%u placement=%u:%u\n", instances[i].gpu_instance_id, instances[i].profile_id,
               instances[i].placement_start, instances[i].placement_size);
    }
}

/* Creates and destroys one instance of the smallest profile, only where MIG mode is already on (this tool never
 * changes the mode): proves the create → list → destroy path on hardware. */
static int mig_cycle(tfaccel_context* context, const tfaccel_device_info* device) {
    if (!device->mig_enabled) {
        printf("    mig cycle: skipped (MIG mode is off; this probe never changes it)\n");
        return 0;
    }
    tfaccel_mig_profile profiles[16];
    uint32_t count = 0;
    if (tfaccel_mig_list_profiles(context, device->index, profiles, 16, &count) != TFACCEL_OK || count == 0) {
        printf("    mig cycle: no profiles\n");
        return 1;
    }
    const tfaccel_mig_profile* smallest = &profiles[0];
    for (uint32_t p = 1; p < count; p++) {
        if (profiles[p].compute_slices < smallest->compute_slices && profiles[p].placement_count > 0) smallest = &profiles[p];
    }
    tfaccel_mig_instance created;
    for (uint32_t k = 0; k < smallest->placement_count; k++) {
        tfaccel_result result = tfaccel_mig_create_instance(context, device->index, smallest->profile_id,
                                                            smallest->placement_starts[k], &created);
        if (result == TFACCEL_ERR_RESOURCE_EXHAUSTED) continue;
        if (result != TFACCEL_OK) {
            printf("    mig cycle: create %s failed: %s\n", smallest->name, tfaccel_result_name(result));
            return 1;
        }
        printf("    mig cycle: created %s gi=%u at %u:%u uuid=%s\n", smallest->name, created.gpu_instance_id,
               created.placement_start, created.placement_size, created.uuid);
        result = tfaccel_mig_destroy_instance(context, device->index, created.gpu_instance_id);
        printf("    mig cycle: destroy gi=%u: %s\n", created.gpu_instance_id, tfaccel_result_name(result));
        return result == TFACCEL_OK ? 0 : 1;
    }
    printf("    mig cycle: no free placement for %s\n", smallest->name);
    return 0;
}

int main(int argc, char** argv) {
    printf("tfaccel-probe (ABI %u)\n", tfaccel_abi_version());
    tfaccel_context* context = NULL;
    tfaccel_result result;
    int cycle = argc == 2 && strcmp(argv[1], "--mig-cycle") == 0;
    if (argc == 4 && strcmp(argv[1], "--sim") == 0) {
        tfaccel_sim_config config;
        memset(&config, 0, sizeof(config));
        snprintf(config.model, sizeof(config.model), "%s", argv[2]);
        config.device_count = (uint32_t)atoi(argv[3]);
        result = tfaccel_init(TFACCEL_BACKEND_SIMULATOR, &config, NULL, &context);
    } else {
        result = tfaccel_init(TFACCEL_BACKEND_NVML, NULL, NULL, &context);
    }
    if (result == TFACCEL_ERR_NO_DRIVER) {
        printf("RESULT: no NVIDIA driver (libnvidia-ml.so.1 not loadable or nvmlInit failed); nothing to probe\n");
        return 3;
    }
    if (result != TFACCEL_OK) {
        printf("RESULT: init failed: %s\n", tfaccel_result_name(result));
        return 1;
    }
    tfaccel_device_info devices[64];
    uint32_t count = 0;
    result = tfaccel_list_devices(context, devices, 64, &count);
    if (result != TFACCEL_OK) { printf("RESULT: list devices failed: %s\n", tfaccel_result_name(result)); return 1; }
    printf("devices: %u\n", count);
    int failures = 0;
    for (uint32_t i = 0; i < count; i++) {
        const tfaccel_device_info* d = &devices[i];
        printf("  [%u] %s %s memory_bytes=%llu sms=%u numa=%d mig_capable=%u mig_enabled=%u health=%u\n", d->index,
               d->uuid, d->model, (unsigned long long)d->memory_total_bytes, d->sm_count, d->numa_node, d->mig_capable,
               d->mig_enabled, d->health);
        tfaccel_device_metrics m;
        result = tfaccel_device_metrics_get(context, d->index, &m);
        if (result == TFACCEL_OK) {
            printf("    metrics: util=%u%% memory_used_bytes=%llu power=%.1f W temp=%u C xid=%u\n", m.utilization_percent,
                   (unsigned long long)m.memory_used_bytes, m.power_milliwatts / 1000.0, m.temperature_celsius, m.last_xid);
        } else {
            printf("    metrics: %s\n", tfaccel_result_name(result));
            failures++;
        }
        if (d->mig_capable) print_mig(context, d);
        if (cycle && d->mig_capable) failures += mig_cycle(context, d);
    }
    tfaccel_process_usage processes[256];
    result = tfaccel_list_processes(context, processes, 256, &count);
    if (result == TFACCEL_OK) {
        printf("processes: %u\n", count);
        for (uint32_t i = 0; i < count; i++) {
            printf("  pid=%u device=%u memory_bytes=%llu sm=%u%% gi=%u\n", processes[i].pid, processes[i].device_index,
                   (unsigned long long)processes[i].memory_used_bytes, processes[i].utilization_percent,
                   processes[i].gpu_instance_id);
        }
    } else {
        printf("processes: %s\n", tfaccel_result_name(result));
    }
    tfaccel_shutdown(context);
    printf("RESULT: %s\n", failures == 0 ? "ok" : "metrics failed on some devices");
    return failures == 0 ? 0 : 1;
}
