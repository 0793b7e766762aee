/* The per-worker accounting region shared by libtfshim (every CUDA process of one worker) and the node agent.
 *
 * One file, mmap'd MAP_SHARED by every process of the worker; the agent creates it (or the shim does, in
 * standalone mode) and writes it byte-for-byte with this layout. Rules that make it safe to share:
 *   - fixed-width little-endian fields, explicit padding, no pointers; offsets are asserted below;
 *   - fields marked (atomic) are only changed with 64/32-bit atomic operations; there is no lock of any kind, so a
 *     process killed at any instruction can never leave the region locked;
 *   - the file is published complete: writers build it under a temporary name and link()/rename() it into place, so
 *     a reader either finds no file or a fully initialised one (magic, version and region_size checked).
 * Times are CLOCK_MONOTONIC nanoseconds (system-wide, the same in every container of the node; .NET's
 * Stopwatch.GetTimestamp() on Linux is this clock in ns).
 */
#ifndef TFSHIM_REGION_H
#define TFSHIM_REGION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "TFSHREGN" read as a little-endian uint64. */
#define TFSHIM_REGION_MAGIC 0x4E47455248534654ull
#define TFSHIM_REGION_VERSION 1u
#define TFSHIM_MAX_DEVICES 16u
#define TFSHIM_MAX_SLOTS 256u
#define TFSHIM_UUID_LEN 96u

/* Header flag: the agent owns the region (its limits are authoritative, it keeps heartbeat_ns fresh and refills the
 * token buckets). Without it the region is standalone: the shim refills the buckets itself at refill_tokens_per_s. */
#define TFSHIM_FLAG_AGENT_OWNED 1u

/* After this long without a heartbeat an agent-owned region stops throttling launches (compute fails open);
 * memory limits keep applying (memory fails closed). */
#define TFSHIM_HEARTBEAT_STALE_NS 2000000000ll

typedef struct {
    uint64_t magic;               /*  0 TFSHIM_REGION_MAGIC */
    uint32_t version;             /*  8 TFSHIM_REGION_VERSION */
    uint32_t header_size;         /* 12 sizeof(tfshim_region_header) = 128 */
    uint64_t region_size;         /* 16 sizeof(tfshim_region) */
    uint32_t device_count;        /* 24 entries in use, 0..16 */
    uint32_t slot_count;          /* 28 TFSHIM_MAX_SLOTS */
    uint32_t flags;               /* 32 TFSHIM_FLAG_* */
    uint32_t reserved0;           /* 36 */
    uint64_t generation;          /* 40 bumped by the writer on every limit change (informational) */
    int64_t heartbeat_ns;         /* 48 (atomic) agent's last heartbeat, CLOCK_MONOTONIC ns; 0 = never */
    uint32_t device_offset;       /* 56 offsetof(tfshim_region, devices) = 128 */
    uint32_t device_stride;       /* 60 sizeof(tfshim_region_device) = 256 */
    uint32_t slot_offset;         /* 64 offsetof(tfshim_region, slots) = 4224 */
    uint32_t slot_stride;         /* 68 sizeof(tfshim_region_slot) = 192 */
    uint8_t reserved1[56];        /* 72 zero */
} tfshim_region_header;

typedef struct {
    char uuid[TFSHIM_UUID_LEN];   /*   0 "GPU-…" NUL-terminated; empty = matched by CUDA ordinal / NVML index */
    uint64_t memory_soft_bytes;   /*  96 informational (the agent's request) */
    uint64_t memory_hard_bytes;   /* 104 (atomic) enforced limit; 0 = unlimited */
    uint32_t compute_soft_percent;/* 112 informational (the agent's target) */
    uint32_t compute_hard_percent;/* 116 (atomic) 1..99 throttles launches; 0 or >= 100 = unthrottled */
    uint64_t used_bytes;          /* 120 (atomic) bytes reserved by the shim for this device, all processes */
    uint64_t overhead_bytes;      /* 128 (atomic) agent: NVML-measured use beyond used_bytes (contexts, workspaces) */
    int64_t tokens;               /* 136 (atomic) launch tokens available */
    int64_t token_capacity;       /* 144 bucket size (standalone refill never exceeds it) */
    int64_t refill_tokens_per_s;  /* 152 standalone refill rate; the agent refills tokens itself */
    int64_t last_refill_ns;       /* 160 (atomic) standalone refill clock */
    uint64_t launch_count;        /* 168 (atomic) launches admitted */
    uint64_t throttled_ns;        /* 176 (atomic) time launches spent waiting for tokens */
    uint64_t oom_refusals;        /* 184 (atomic) allocations refused with CUDA_ERROR_OUT_OF_MEMORY */
    uint64_t reclaimed_bytes;     /* 192 (atomic) bytes returned from slots of dead processes */
    uint32_t launch_cost_tokens;  /* 200 tokens one launch spends; 0 = 1 */
    uint32_t reserved0;           /* 204 */
    uint8_t reserved1[48];        /* 208 zero */
} tfshim_region_device;

typedef struct {
    int32_t pid;                  /*   0 (atomic) 0 = free; > 0 owner (pid in the worker's pid namespace);
                                           < 0 = being reclaimed by process -pid */
    uint32_t pid_namespace;       /*   4 inode of the owner's pid namespace (/proc/self/ns/pid): only a process in the
                                           same namespace may judge the owner dead; others leave it to the agent */
    uint64_t start_time;          /*   8 owner's start time (clock ticks since boot, /proc/<pid>/stat field 22):
                                           tells a live owner from a reused pid */
    uint64_t bytes[TFSHIM_MAX_DEVICES]; /* 16 (atomic) bytes this process holds per device */
    uint8_t reserved1[48];        /* 144 zero */
} tfshim_region_slot;

typedef struct {
    tfshim_region_header header;                     /*    0 */
    tfshim_region_device devices[TFSHIM_MAX_DEVICES];/*  128 */
    tfshim_region_slot slots[TFSHIM_MAX_SLOTS];      /* 4224 */
} tfshim_region;                                     /* 53376 bytes */

#define TFSHIM_ASSERT_OFFSET(type, field, offset) \
    _Static_assert(offsetof(type, field) == (offset), #type "." #field " must stay at offset " #offset)
TFSHIM_ASSERT_OFFSET(tfshim_region_header, version, 8);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, region_size, 16);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, device_count, 24);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, flags, 32);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, generation, 40);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, heartbeat_ns, 48);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, device_offset, 56);
TFSHIM_ASSERT_OFFSET(tfshim_region_header, slot_stride, 68);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, memory_soft_bytes, 96);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, memory_hard_bytes, 104);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, compute_soft_percent, 112);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, compute_hard_percent, 116);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, used_bytes, 120);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, overhead_bytes, 128);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, tokens, 136);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, token_capacity, 144);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, refill_tokens_per_s, 152);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, last_refill_ns, 160);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, launch_count, 168);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, throttled_ns, 176);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, oom_refusals, 184);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, reclaimed_bytes, 192);
TFSHIM_ASSERT_OFFSET(tfshim_region_device, launch_cost_tokens, 200);
TFSHIM_ASSERT_OFFSET(tfshim_region_slot, pid_namespace, 4);
TFSHIM_ASSERT_OFFSET(tfshim_region_slot, start_time, 8);
TFSHIM_ASSERT_OFFSET(tfshim_region_slot, bytes, 16);
TFSHIM_ASSERT_OFFSET(tfshim_region, devices, 128);
TFSHIM_ASSERT_OFFSET(tfshim_region, slots, 4224);
_Static_assert(sizeof(tfshim_region_header) == 128, "header is 128 bytes");
_Static_assert(sizeof(tfshim_region_device) == 256, "device entry is 256 bytes");
_Static_assert(sizeof(tfshim_region_slot) == 192, "slot is 192 bytes");
_Static_assert(sizeof(tfshim_region) == 53376, "region is 53376 bytes");

/* Fills the header fields every writer sets the same way (everything but heartbeat_ns, generation and magic); the
 * caller zeroes the region first and stores magic last. */
static inline void tfshim_region_init_header(tfshim_region_header* header, uint32_t device_count, uint32_t flags) {
    header->version = TFSHIM_REGION_VERSION;
    header->header_size = sizeof(tfshim_region_header);
    header->region_size = sizeof(tfshim_region);
    header->device_count = device_count;
    header->slot_count = TFSHIM_MAX_SLOTS;
    header->flags = flags;
    header->device_offset = offsetof(tfshim_region, devices);
    header->device_stride = sizeof(tfshim_region_device);
    header->slot_offset = offsetof(tfshim_region, slots);
    header->slot_stride = sizeof(tfshim_region_slot);
}

#ifdef __cplusplus
}
#endif

#endif
