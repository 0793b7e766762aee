/* The simulator's model of libtfshim's compute limit: a worker's agent-owned accounting region
 * (include/tfshim_region.h, "<limits dir>/<worker>.region", written by the node agent) bounds its simulated
 * processes the way the shim bounds real ones. A simulated process launches kernels at its demand; the shim admits
 * launches only as fast as the agent refills the bucket, so over an interval its share of the device is
 * min(demand, refill rate / launches per second at 100 %). The agent's controller (src/Agent/Limiting/
 * ShareController.cs, FullRateTokensPerSecond) uses the same nominal 10 000 launches/s for the whole device.
 * Read-only and stateless (pread of the current file), like every other simulator read. */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "tfshim_region.h"

#define SIM_LAUNCHES_PER_SECOND_AT_FULL 10000.0

double sim_region_cap(const char* dir, const char* worker_id, const char* uuid) {
    char path[768];
    int written = snprintf(path, sizeof(path), "%s/%s.region", dir, worker_id);
    if (written <= 0 || (size_t)written >= sizeof(path)) return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    double cap = -1;
    tfshim_region_header header;
    if (pread(fd, &header, sizeof(header), 0) == (ssize_t)sizeof(header) && header.magic == TFSHIM_REGION_MAGIC &&
        header.version == TFSHIM_REGION_VERSION && header.region_size == sizeof(tfshim_region) &&
        (header.flags & TFSHIM_FLAG_AGENT_OWNED) != 0 && header.heartbeat_ns != 0 &&
        header.device_count <= TFSHIM_MAX_DEVICES) {
        for (uint32_t i = 0; i < header.device_count; i++) {
            tfshim_region_device device;
            off_t offset = (off_t)(offsetof(tfshim_region, devices) + i * sizeof(tfshim_region_device));
            if (pread(fd, &device, sizeof(device), offset) != (ssize_t)sizeof(device)) break;
            if (strncmp(device.uuid, uuid, TFSHIM_UUID_LEN) != 0) continue;
            /* The shim throttles only at 1..99 %; otherwise the process runs at its demand. */
            if (device.compute_hard_percent == 0 || device.compute_hard_percent >= 100) { cap = 0; break; }
            double share = (double)device.refill_tokens_per_s / SIM_LAUNCHES_PER_SECOND_AT_FULL;
            double hard = device.compute_hard_percent / 100.0;
            cap = share <= 0 ? 1e-6 : (share > hard ? hard : share);
            break;
        }
    }
    close(fd);
    return cap;
}
