/* Prints an accounting region (native/include/tfshim_region.h) as one JSON object: the header, the devices in use
 * and the slots held. For people (what is the worker charged?) and for the agent's ABI test, which writes a region
 * from C# and compares this reader's view with what it meant to write.
 * Usage: tfshim-region-dump PATH   Exit 1 when the file is not a region of this layout. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tfshim_region.h"

static void print_device(const tfshim_region_device* d, uint32_t index) {
    printf("%s{\"index\": %u, \"uuid\": \"%.*s\", \"memorySoftBytes\": %" PRIu64 ", \"memoryHardBytes\": %" PRIu64
           ", \"computeSoftPercent\": %u, \"computeHardPercent\": %u, \"usedBytes\": %" PRIu64
           ", \"overheadBytes\": %" PRIu64 ", \"tokens\": %" PRId64 ", \"tokenCapacity\": %" PRId64
           ", \"refillTokensPerSecond\": %" PRId64 ", \"lastRefillNs\": %" PRId64 ", \"launchCount\": %" PRIu64
           ", \"throttledNs\": %" PRIu64 ", \"oomRefusals\": %" PRIu64 ", \"reclaimedBytes\": %" PRIu64
           ", \"launchCostTokens\": %u}",
           index == 0 ? "" : ", ", index, (int)TFSHIM_UUID_LEN, d->uuid, d->memory_soft_bytes, d->memory_hard_bytes,
           d->compute_soft_percent, d->compute_hard_percent, d->used_bytes, d->overhead_bytes, d->tokens,
           d->token_capacity, d->refill_tokens_per_s, d->last_refill_ns, d->launch_count, d->throttled_ns,
           d->oom_refusals, d->reclaimed_bytes, d->launch_cost_tokens);
}

int main(int argc, char** argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PATH\n", argv[0]); return 2; }
    int fd = open(argv[1], O_RDONLY);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || (uint64_t)info.st_size < sizeof(tfshim_region)) {
        fprintf(stderr, "%s: missing or smaller than a region (%zu bytes)\n", argv[1], sizeof(tfshim_region));
        return 1;
    }
    const tfshim_region* r = mmap(NULL, sizeof(tfshim_region), PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (r == MAP_FAILED) { perror("mmap"); return 1; }
    const tfshim_region_header* h = &r->header;
    if (h->magic != TFSHIM_REGION_MAGIC || h->version != TFSHIM_REGION_VERSION || h->region_size != sizeof(tfshim_region) ||
        h->device_count > TFSHIM_MAX_DEVICES) {
        fprintf(stderr, "%s: magic %#" PRIx64 ", version %u, size %" PRIu64 ", %u devices: not a version %u region\n",
                argv[1], h->magic, h->version, h->region_size, h->device_count, TFSHIM_REGION_VERSION);
        return 1;
    }
    printf("{\"version\": %u, \"headerSize\": %u, \"regionSize\": %" PRIu64 ", \"deviceCount\": %u, \"slotCount\": %u, "
           "\"flags\": %u, \"generation\": %" PRIu64 ", \"heartbeatNs\": %" PRId64 ", \"deviceOffset\": %u, "
           "\"deviceStride\": %u, \"slotOffset\": %u, \"slotStride\": %u, \"devices\": [",
           h->version, h->header_size, h->region_size, h->device_count, h->slot_count, h->flags, h->generation,
           h->heartbeat_ns, h->device_offset, h->device_stride, h->slot_offset, h->slot_stride);
    for (uint32_t i = 0; i < h->device_count; i++) print_device(&r->devices[i], i);
    printf("], \"slots\": [");
    int first = 1;
    for (uint32_t i = 0; i < TFSHIM_MAX_SLOTS; i++) {
        const tfshim_region_slot* s = &r->slots[i];
        if (s->pid == 0) continue;
        printf("%s{\"index\": %u, \"pid\": %d, \"pidNamespace\": %u, \"startTime\": %" PRIu64 ", \"bytes\": [",
               first ? "" : ", ", i, s->pid, s->pid_namespace, s->start_time);
        for (uint32_t d = 0; d < TFSHIM_MAX_DEVICES; d++) printf("%s%" PRIu64, d == 0 ? "" : ", ", s->bytes[d]);
        printf("]}");
        first = 0;
    }
    printf("]}\n");
    return 0;
}
