/* libtfshim core: loading the real driver, the shared region (open, create, validate), memory reservation against
 * the per-device limit, per-process slots and their reclaim, process-local allocation records, launch admission.
 *
 * Why reservation and not check-then-act: two processes that both check "used + size <= limit" and then allocate can
 * together overshoot the limit; a compare-and-swap on used_bytes makes the check and the charge one step. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "shim_internal.h"

#define ATOMIC64(field) ((_Atomic uint64_t*)&(field))
#define ATOMICI64(field) ((_Atomic int64_t*)&(field))
#define ATOMIC32(field) ((_Atomic uint32_t*)&(field))
#define ATOMICPID(field) ((_Atomic int32_t*)&(field))
#define DEFAULT_REGION_PATH "/tmp/tfshim.region"
#define DEFAULT_LAUNCH_RATE 10000
#define THROTTLE_SLEEP_NS 500000ll
#define RECORD_BUCKETS 1024u

typedef void* (*dlsym_fn)(void*, const char*);
typedef int64_t (*clock_fn)(void);
typedef void (*sleep_fn)(int64_t);

static dlsym_fn real_dlsym_fn;
static pthread_once_t dlsym_once = PTHREAD_ONCE_INIT;
static pthread_once_t cuda_once = PTHREAD_ONCE_INIT;
static pthread_once_t nvml_once = PTHREAD_ONCE_INIT;
static void* cuda_handle;
static void* nvml_handle;
static CUresult (*real_cuCtxGetDevice)(CUdevice*);
static CUresult (*real_cuDeviceGetUuid)(CUuuid*, CUdevice);
static nvmlReturn_t (*real_nvmlDeviceGetUUID)(nvmlDevice_t, char*, unsigned int);
static nvmlReturn_t (*real_nvmlDeviceGetIndex)(nvmlDevice_t, unsigned int*);
static clock_fn test_clock;
static sleep_fn test_sleep;
static int log_enabled;

enum { REGION_INERT = 0, REGION_READY = 1, REGION_REFUSED = 2 };
static tfshim_region* region;
static int region_state;
/* Stands for "no memory may be allocated here": a device the worker was not granted or an unusable region. */
static tfshim_region_device denied_device;
static int ordinal_map[TFSHIM_MAX_DEVICES];   /* -2 unresolved, -1 denied, else device index */

static tfshim_region_slot* my_slot;
static pid_t my_pid;
/* Process-local: two threads claiming at once would otherwise take two slots and later release from the wrong one. */
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct record {
    struct record* next;
    uint64_t key;
    uint64_t bytes;
    uint64_t handle;     /* RECORD_MAPPING: the VMM handle mapped at key */
    int kind;
    int device_index;
    uint32_t maps;       /* RECORD_VMM_HANDLE: live mappings of the handle */
    int released;        /* RECORD_VMM_HANDLE: cuMemRelease seen while still mapped */
} record;
static record* records[RECORD_BUCKETS];
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;

static void shim_log(const char* format, const char* detail) {
    fprintf(stderr, "tfshim: ");
    fprintf(stderr, format, detail);
    fputc('\n', stderr);
}

/* ---- the real dlsym and driver symbols ------------------------------------------------------------------------ */

static void load_real_dlsym(void) {
    static const char* const versions[] = {"GLIBC_2.34", "GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.0"};
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]) && real_dlsym_fn == NULL; i++) {
        real_dlsym_fn = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", versions[i]);
    }
    if (real_dlsym_fn == NULL) {
        /* No way to resolve anything: the process could not work at all, so say why before stopping. */
        shim_log("%s", "cannot find the real dlsym (unsupported C library); aborting");
        abort();
    }
}

void* shim_real_dlsym(void* handle, const char* name) {
    pthread_once(&dlsym_once, load_real_dlsym);
    return real_dlsym_fn(handle, name);
}

static void reset_after_fork(void);
static void open_region(void);

__thread int shim_loading_driver;

static void load_cuda(void) {
    shim_loading_driver = 1;
    log_enabled = getenv("TF_SHIM_LOG") != NULL;
    for (int i = 0; i < (int)TFSHIM_MAX_DEVICES; i++) ordinal_map[i] = -2;
    cuda_handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (cuda_handle == NULL && log_enabled) shim_log("libcuda.so.1 not loadable: %s", dlerror());
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (shim_hooks[i].family[0] == 'c' && cuda_handle != NULL) {
            shim_hooks[i].real = shim_real_dlsym(cuda_handle, shim_hooks[i].name);
        }
    }
    if (cuda_handle != NULL) {
        real_cuCtxGetDevice = (CUresult(*)(CUdevice*))shim_real_dlsym(cuda_handle, "cuCtxGetDevice");
        real_cuDeviceGetUuid = (CUresult(*)(CUuuid*, CUdevice))shim_real_dlsym(cuda_handle, "cuDeviceGetUuid_v2");
        if (real_cuDeviceGetUuid == NULL) {
            real_cuDeviceGetUuid = (CUresult(*)(CUuuid*, CUdevice))shim_real_dlsym(cuda_handle, "cuDeviceGetUuid");
        }
    }
    /* Test seam: a test executable may export a fake monotonic clock and sleep; production binaries never do. */
    test_clock = (clock_fn)shim_real_dlsym(RTLD_DEFAULT, "tfshim_test_clock_ns");
    test_sleep = (sleep_fn)shim_real_dlsym(RTLD_DEFAULT, "tfshim_test_sleep_ns");
    open_region();
    pthread_atfork(NULL, NULL, reset_after_fork);
    shim_loading_driver = 0;
}

static _Atomic int cuda_ready;

/* The flag keeps pthread_once's call off the launch path once the driver is loaded. */
void shim_ensure_cuda(void) {
    if (__builtin_expect(atomic_load_explicit(&cuda_ready, memory_order_acquire), 1)) return;
    /* A driver calling a hooked entry point from its own constructor must not wait for its own loading; the
     * wrappers then find no real function and answer CUDA_ERROR_NOT_FOUND. */
    if (shim_loading_driver) return;
    pthread_once(&cuda_once, load_cuda);
    atomic_store_explicit(&cuda_ready, 1, memory_order_release);
}

static void load_nvml(void) {
    shim_ensure_cuda();
    shim_loading_driver = 1;
    nvml_handle = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_GLOBAL);
    shim_loading_driver = 0;
    if (nvml_handle == NULL) return;
    shim_hooks[HOOK_nvmlDeviceGetMemoryInfo].real = shim_real_dlsym(nvml_handle, "nvmlDeviceGetMemoryInfo");
    shim_hooks[HOOK_nvmlDeviceGetMemoryInfo_v2].real = shim_real_dlsym(nvml_handle, "nvmlDeviceGetMemoryInfo_v2");
    real_nvmlDeviceGetUUID = (nvmlReturn_t(*)(nvmlDevice_t, char*, unsigned int))shim_real_dlsym(nvml_handle, "nvmlDeviceGetUUID");
    real_nvmlDeviceGetIndex = (nvmlReturn_t(*)(nvmlDevice_t, unsigned int*))shim_real_dlsym(nvml_handle, "nvmlDeviceGetIndex");
}

void shim_ensure_nvml(void) {
    if (!shim_loading_driver) pthread_once(&nvml_once, load_nvml);
}

void* shim_cuda_symbol(const char* name) {
    shim_ensure_cuda();
    return cuda_handle == NULL ? NULL : shim_real_dlsym(cuda_handle, name);
}

void* shim_nvml_symbol(const char* name) {
    shim_ensure_nvml();
    return nvml_handle == NULL ? NULL : shim_real_dlsym(nvml_handle, name);
}

/* ---- time -------------------------------------------------------------------------------------------------------- */

int64_t shim_now_ns(void) {
    if (test_clock != NULL) return test_clock();
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000ll + now.tv_nsec;
}

static void shim_sleep_ns(int64_t ns) {
    if (test_sleep != NULL) { test_sleep(ns); return; }
    struct timespec delay = {(time_t)(ns / 1000000000ll), (long)(ns % 1000000000ll)};
    while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {}
}

/* ---- configuration ----------------------------------------------------------------------------------------------- */

/* Bytes or a Kubernetes quantity (8Gi, 512Mi, 8G, 1500M). Returns 0 on success. */
static int parse_quantity(const char* text, uint64_t* bytes) {
    static const struct { const char* suffix; uint64_t factor; } units[] = {
        {"Ki", 1ull << 10}, {"Mi", 1ull << 20}, {"Gi", 1ull << 30}, {"Ti", 1ull << 40}, {"Pi", 1ull << 50},
        {"k", 1000ull}, {"K", 1000ull}, {"M", 1000000ull}, {"G", 1000000000ull}, {"T", 1000000000000ull},
        {"P", 1000000000000000ull}, {"", 1ull}};
    char* end = NULL;
    errno = 0;
    if (text[0] < '0' || text[0] > '9') return -1;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0) return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].suffix) == 0) {
            if (value > UINT64_MAX / units[i].factor) return -1;
            *bytes = value * units[i].factor;
            return 0;
        }
    }
    return -1;
}

static int parse_percent(const char* text, uint32_t* percent) {
    char* end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1 || value > 100) return -1;
    *percent = (uint32_t)value;
    return 0;
}

static void init_standalone(tfshim_region* fresh, uint64_t vram, uint32_t compute, int64_t launch_rate) {
    memset(fresh, 0, sizeof(*fresh));
    tfshim_region_init_header(&fresh->header, TFSHIM_MAX_DEVICES, 0);
    int64_t rate = launch_rate * compute / 100;
    if (rate < 1) rate = 1;
    int64_t capacity = rate / 10 > 1 ? rate / 10 : 1;   /* 100 ms of burst */
    for (uint32_t i = 0; i < TFSHIM_MAX_DEVICES; i++) {
        tfshim_region_device* d = &fresh->devices[i];
        d->memory_soft_bytes = d->memory_hard_bytes = vram;
        d->compute_soft_percent = d->compute_hard_percent = compute;
        d->token_capacity = d->tokens = capacity;
        d->refill_tokens_per_s = rate;
        d->last_refill_ns = shim_now_ns();
        d->launch_cost_tokens = 1;
    }
    /* Magic last: with link() publication this is belt and braces, but it keeps "magic set" = "complete". */
    atomic_store((_Atomic uint64_t*)&fresh->header.magic, TFSHIM_REGION_MAGIC);
}

static int map_region(int fd) {
    struct stat info;
    if (fstat(fd, &info) != 0 || (uint64_t)info.st_size < sizeof(tfshim_region)) return -1;
    void* mapped = mmap(NULL, sizeof(tfshim_region), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) return -1;
    tfshim_region* candidate = mapped;
    if (candidate->header.magic != TFSHIM_REGION_MAGIC || candidate->header.version != TFSHIM_REGION_VERSION ||
        candidate->header.region_size != sizeof(tfshim_region) ||
        candidate->header.header_size != sizeof(tfshim_region_header) ||
        candidate->header.device_count > TFSHIM_MAX_DEVICES) {
        munmap(mapped, sizeof(tfshim_region));
        return -1;
    }
    region = candidate;
    return 0;
}

/* Creates the region under a private name and publishes it with link(), which fails if another process won. */
static int create_region(const char* path, uint64_t vram, uint32_t compute, int64_t launch_rate) {
    char temp[4200];
    if (snprintf(temp, sizeof(temp), "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof(temp)) return -1;
    /* Owner only: the region holds the worker's limits (processes of one worker share a uid; the agent sets the
     * owner of the regions it creates). */
    int fd = open(temp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    int ok = ftruncate(fd, sizeof(tfshim_region)) == 0;
    void* mapped = ok ? mmap(NULL, sizeof(tfshim_region), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (mapped != MAP_FAILED) {
        init_standalone(mapped, vram, compute, launch_rate);
        munmap(mapped, sizeof(tfshim_region));
    } else {
        ok = 0;
    }
    close(fd);
    int published = ok && link(temp, path) == 0;
    int lost_race = ok && !published && errno == EEXIST;
    unlink(temp);
    return published || lost_race ? 0 : -1;
}

static void open_region(void) {
    const char* path_env = getenv("TF_SHIM_STATE");
    const char* vram_env = getenv("TF_SHIM_VRAM_LIMIT");
    const char* compute_env = getenv("TF_SHIM_COMPUTE_LIMIT");
    const char* rate_env = getenv("TF_SHIM_LAUNCH_RATE");
    uint64_t vram = 0;
    uint32_t compute = 100;
    int64_t launch_rate = DEFAULT_LAUNCH_RATE;
    if (vram_env != NULL && parse_quantity(vram_env, &vram) != 0) {
        shim_log("TF_SHIM_VRAM_LIMIT='%s' is not bytes or a quantity like 8Gi; refusing device memory", vram_env);
        region_state = REGION_REFUSED;
        return;
    }
    if (compute_env != NULL && parse_percent(compute_env, &compute) != 0) {
        shim_log("TF_SHIM_COMPUTE_LIMIT='%s' is not a percent 1..100; refusing device memory", compute_env);
        region_state = REGION_REFUSED;
        return;
    }
    if (rate_env != NULL) {
        char* end = NULL;
        errno = 0;
        long long value = strtoll(rate_env, &end, 10);
        if (errno != 0 || end == rate_env || *end != '\0' || value < 1) {
            shim_log("TF_SHIM_LAUNCH_RATE='%s' is not a positive number of launches per second; refusing device memory",
                     rate_env);
            region_state = REGION_REFUSED;
            return;
        }
        launch_rate = value;
    }
    const char* path = path_env != NULL ? path_env : DEFAULT_REGION_PATH;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        if (path_env == NULL && vram_env == NULL && compute_env == NULL) return;   /* nothing asked: inert */
        if (create_region(path, vram, compute, launch_rate) != 0) {
            shim_log("cannot create the accounting region %s; refusing device memory", path);
            region_state = REGION_REFUSED;
            return;
        }
        fd = open(path, O_RDWR | O_CLOEXEC);
    }
    if (fd < 0) {
        char detail[4200];
        snprintf(detail, sizeof(detail), "%s (%s)", path, strerror(errno));
        shim_log("cannot open the accounting region %s; refusing device memory", detail);
        region_state = REGION_REFUSED;
        return;
    }
    if (map_region(fd) != 0) {
        shim_log("accounting region %s is too small or of another magic/version/size; refusing device memory", path);
        close(fd);
        region_state = REGION_REFUSED;
        return;
    }
    close(fd);
    region_state = REGION_READY;
    if (log_enabled && (region->header.flags & TFSHIM_FLAG_AGENT_OWNED) && (vram_env != NULL || compute_env != NULL)) {
        shim_log("region %s is agent-owned; TF_SHIM_* limits in the environment are ignored", path);
    }
}

/* ---- devices ----------------------------------------------------------------------------------------------------- */

static void format_uuid(const CUuuid* uuid, char* text, size_t size) {
    const unsigned char* b = (const unsigned char*)uuid->bytes;
    snprintf(text, size, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The driver's UUID bytes carry no "GPU-"/"MIG-" kind, so a MIG instance formats as GPU-…: compare after the
 * four-character kind when both have one. */
static int same_uuid(const char* entry, const char* uuid) {
    if (strncmp(entry, uuid, TFSHIM_UUID_LEN) == 0) return 1;
    int both_kinded = strnlen(entry, TFSHIM_UUID_LEN) > 4 && strnlen(uuid, TFSHIM_UUID_LEN) > 4 && entry[3] == '-' &&
                      uuid[3] == '-';
    return both_kinded && strncmp(entry + 4, uuid + 4, TFSHIM_UUID_LEN - 4) == 0;
}

/* Index of the entry for a UUID, else the entry at fallback_index when it carries no UUID, else -1 (denied). */
static int match_device(const char* uuid, int fallback_index) {
    uint32_t count = region->header.device_count;
    if (uuid != NULL) {
        for (uint32_t i = 0; i < count; i++) {
            if (same_uuid(region->devices[i].uuid, uuid)) return (int)i;
        }
    }
    if (fallback_index >= 0 && (uint32_t)fallback_index < count && region->devices[fallback_index].uuid[0] == '\0') {
        return fallback_index;
    }
    return -1;
}

static int region_has_uuids(void) {
    for (uint32_t i = 0; i < region->header.device_count; i++) {
        if (region->devices[i].uuid[0] != '\0') return 1;
    }
    return 0;
}

tfshim_region_device* shim_device_for_ordinal(int ordinal) {
    shim_ensure_cuda();
    if (region_state == REGION_INERT) return NULL;
    if (region_state == REGION_REFUSED || ordinal < 0 || ordinal >= (int)TFSHIM_MAX_DEVICES) return &denied_device;
    int index = __atomic_load_n(&ordinal_map[ordinal], __ATOMIC_ACQUIRE);
    if (index == -2) {
        char uuid[64];
        CUuuid raw;
        int have_uuid = real_cuDeviceGetUuid != NULL && real_cuDeviceGetUuid(&raw, ordinal) == CUDA_SUCCESS;
        if (have_uuid) format_uuid(&raw, uuid, sizeof(uuid));
        index = match_device(have_uuid ? uuid : NULL, ordinal);
        /* Before cuInit the UUID query fails: decide this call, but ask again next time. */
        if (have_uuid || !region_has_uuids()) __atomic_store_n(&ordinal_map[ordinal], index, __ATOMIC_RELEASE);
    }
    return index < 0 ? &denied_device : &region->devices[index];
}

tfshim_region_device* shim_device_for_nvml(nvmlDevice_t device) {
    shim_ensure_nvml();
    if (region_state == REGION_INERT) return NULL;
    if (region_state == REGION_REFUSED) return &denied_device;
    char uuid[TFSHIM_UUID_LEN];
    unsigned int index = 0;
    int have_uuid = real_nvmlDeviceGetUUID != NULL && real_nvmlDeviceGetUUID(device, uuid, sizeof(uuid)) == NVML_SUCCESS;
    int have_index = real_nvmlDeviceGetIndex != NULL && real_nvmlDeviceGetIndex(device, &index) == NVML_SUCCESS;
    int found = match_device(have_uuid ? uuid : NULL, have_index ? (int)index : -1);
    return found < 0 ? &denied_device : &region->devices[found];
}

int shim_device_index(const tfshim_region_device* device) {
    return (int)(device - region->devices);
}

int shim_current_ordinal(void) {
    CUdevice ordinal = 0;
    if (real_cuCtxGetDevice == NULL || real_cuCtxGetDevice(&ordinal) != CUDA_SUCCESS) return 0;
    return ordinal;
}

/* ---- process slots ----------------------------------------------------------------------------------------------- */

static uint64_t process_start_time(pid_t pid) {
    char path[64], text[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t length = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (length <= 0) return 0;
    text[length] = '\0';
    char* cursor = strrchr(text, ')');
    if (cursor == NULL) return 0;
    /* After ")" each field is preceded by one space: stop on the space before field 22 (starttime). */
    for (int field = 3; field <= 22 && cursor != NULL; field++) cursor = strchr(cursor + 1, ' ');
    return cursor == NULL ? 0 : strtoull(cursor + 1, NULL, 10);
}

static uint32_t pid_namespace_inode(void) {
    struct stat info;
    return stat("/proc/self/ns/pid", &info) == 0 ? (uint32_t)info.st_ino : 0;
}

static int owner_alive(pid_t pid, uint64_t start_time) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return 0;
    if (start_time == 0) return 1;
    uint64_t now_start = process_start_time(pid);
    return now_start == 0 || now_start == start_time;   /* unreadable /proc: assume alive (fail closed) */
}

static void subtract_clamped(_Atomic uint64_t* counter, uint64_t amount) {
    uint64_t current = atomic_load(counter);
    while (!atomic_compare_exchange_weak(counter, &current, current > amount ? current - amount : 0)) {}
}

/* Returns the bytes a slot held to the devices; the caller owns the slot (its pid is ours or our claim marker).
 * reclaimed: the owner died, so the bytes also count as reclaimed (an agent metric). */
static void drain_slot(tfshim_region_slot* slot, int reclaimed) {
    for (uint32_t d = 0; d < TFSHIM_MAX_DEVICES; d++) {
        uint64_t bytes = atomic_exchange(ATOMIC64(slot->bytes[d]), 0);
        if (bytes == 0) continue;
        subtract_clamped(ATOMIC64(region->devices[d].used_bytes), bytes);
        if (reclaimed) atomic_fetch_add(ATOMIC64(region->devices[d].reclaimed_bytes), bytes);
    }
}

/* Identity first, pid last: a slot being claimed shows pid_namespace 0 until its owner fills it in, so a sweeper in
 * another namespace (which compares namespaces first) never mistakes a fresh owner for a dead one. */
static void free_slot(tfshim_region_slot* slot) {
    slot->start_time = 0;
    slot->pid_namespace = 0;
    atomic_store(ATOMICPID(slot->pid), 0);
}

/* Frees the slots of dead processes in our pid namespace; returns how many were reclaimed. A slot whose pid is
 * negative is being reclaimed by process -pid; if that process died too, anyone may finish the job (draining is
 * an exchange, so bytes are never returned twice). */
static int sweep_dead_slots(void) {
    uint32_t namespace_inode = pid_namespace_inode();
    pid_t self = getpid();
    int reclaimed = 0;
    for (uint32_t i = 0; i < TFSHIM_MAX_SLOTS; i++) {
        tfshim_region_slot* slot = &region->slots[i];
        int32_t pid = atomic_load(ATOMICPID(slot->pid));
        if (pid == 0 || pid == self || slot->pid_namespace != namespace_inode) continue;
        pid_t owner = pid > 0 ? pid : -pid;
        if (owner_alive(owner, pid > 0 ? slot->start_time : 0)) continue;
        if (!atomic_compare_exchange_strong(ATOMICPID(slot->pid), &pid, -self)) continue;
        drain_slot(slot, 1);
        free_slot(slot);
        reclaimed++;
    }
    return reclaimed;
}

static tfshim_region_slot* claim_slot_locked(pid_t self) {
    uint64_t start_time = process_start_time(self);
    uint32_t namespace_inode = pid_namespace_inode();
    /* Our own pid and start time in a slot we do not know: this process ran the shim before an exec(), which
     * destroyed its CUDA contexts and with them that memory. */
    for (uint32_t i = 0; i < TFSHIM_MAX_SLOTS && start_time != 0; i++) {
        tfshim_region_slot* stale = &region->slots[i];
        int32_t pid = (int32_t)self;
        if (stale->start_time != start_time || stale->pid_namespace != namespace_inode) continue;
        if (!atomic_compare_exchange_strong(ATOMICPID(stale->pid), &pid, -(int32_t)self)) continue;
        drain_slot(stale, 1);
        free_slot(stale);
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        for (uint32_t i = 0; i < TFSHIM_MAX_SLOTS; i++) {
            tfshim_region_slot* slot = &region->slots[i];
            int32_t expected = 0;
            if (atomic_load(ATOMICPID(slot->pid)) != 0) continue;
            if (!atomic_compare_exchange_strong(ATOMICPID(slot->pid), &expected, (int32_t)self)) continue;
            slot->pid_namespace = namespace_inode;
            slot->start_time = start_time;
            my_pid = self;
            __atomic_store_n(&my_slot, slot, __ATOMIC_RELEASE);
            return slot;
        }
        if (sweep_dead_slots() == 0) break;
    }
    shim_log("%s", "all accounting slots are taken by live processes; refusing device memory");
    return NULL;
}

static tfshim_region_slot* claim_slot(void) {
    pid_t self = getpid();
    tfshim_region_slot* slot = __atomic_load_n(&my_slot, __ATOMIC_ACQUIRE);
    if (slot != NULL && my_pid == self) return slot;
    pthread_mutex_lock(&slot_lock);
    slot = my_slot != NULL && my_pid == self ? my_slot : claim_slot_locked(self);
    pthread_mutex_unlock(&slot_lock);
    return slot;
}

static void release_own_slot(void) {
    if (region == NULL || my_slot == NULL || my_pid != getpid()) return;
    drain_slot(my_slot, 0);
    free_slot(my_slot);
    my_slot = NULL;
}

/* The driver frees a process's device memory when it exits, so its slot goes back with it. */
__attribute__((destructor)) static void shim_unload(void) { release_own_slot(); }

/* ---- memory reservation ------------------------------------------------------------------------------------------ */

static int try_charge(tfshim_region_device* device, uint64_t bytes) {
    _Atomic uint64_t* used = ATOMIC64(device->used_bytes);
    uint64_t current = atomic_load(used);
    for (;;) {
        uint64_t limit = atomic_load(ATOMIC64(device->memory_hard_bytes));
        if (limit != 0) {
            uint64_t overhead = atomic_load(ATOMIC64(device->overhead_bytes));
            uint64_t effective = limit > overhead ? limit - overhead : 0;
            if (bytes > effective || current > effective - bytes) return -1;
        } else if (current > UINT64_MAX - bytes) {
            return -1;
        }
        if (atomic_compare_exchange_weak(used, &current, current + bytes)) return 0;
    }
}

int shim_reserve(tfshim_region_device* device, uint64_t bytes) {
    if (device == NULL) return 0;
    if (device == &denied_device) return -1;
    tfshim_region_slot* slot = claim_slot();
    if (slot == NULL) return -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (try_charge(device, bytes) == 0) {
            /* used_bytes first, slot second: a crash in between over-counts (safe), never under-counts. */
            atomic_fetch_add(ATOMIC64(slot->bytes[shim_device_index(device)]), bytes);
            return 0;
        }
        if (sweep_dead_slots() == 0) break;
    }
    atomic_fetch_add(ATOMIC64(device->oom_refusals), 1);
    return -1;
}

void shim_release(tfshim_region_device* device, uint64_t bytes) {
    if (device == NULL || device == &denied_device || bytes == 0) return;
    if (my_slot != NULL && my_pid == getpid()) {
        subtract_clamped(ATOMIC64(my_slot->bytes[shim_device_index(device)]), bytes);
    }
    subtract_clamped(ATOMIC64(device->used_bytes), bytes);
}

void shim_memory_view(const tfshim_region_device* device, uint64_t real_total, uint64_t real_free, uint64_t* total,
                      uint64_t* free_bytes) {
    *total = real_total;
    *free_bytes = real_free;
    if (device == NULL) return;
    if (device == &denied_device) { *total = *free_bytes = 0; return; }
    tfshim_region_device* d = (tfshim_region_device*)device;
    uint64_t limit = atomic_load(ATOMIC64(d->memory_hard_bytes));
    if (limit == 0) return;
    uint64_t used = atomic_load(ATOMIC64(d->used_bytes));
    uint64_t overhead = atomic_load(ATOMIC64(d->overhead_bytes));
    uint64_t charged = used > UINT64_MAX - overhead ? UINT64_MAX : used + overhead;
    *total = limit < real_total ? limit : real_total;
    uint64_t left = charged >= *total ? 0 : *total - charged;   /* never underflows when usage exceeds the limit */
    *free_bytes = left < real_free ? left : real_free;
}

/* ---- process-local allocation records ---------------------------------------------------------------------------- */

static uint32_t record_bucket(int kind, uint64_t key) {
    uint64_t h = (key ^ ((uint64_t)kind << 56)) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 54) % RECORD_BUCKETS;
}

static void insert_locked(record* entry) {
    uint32_t bucket = record_bucket(entry->kind, entry->key);
    entry->next = records[bucket];
    records[bucket] = entry;
}

/* The record for (kind, key), unlinked from the table when unlink is set; the caller holds records_lock. */
static record* find_locked(int kind, uint64_t key, int unlink) {
    for (record** link = &records[record_bucket(kind, key)]; *link != NULL; link = &(*link)->next) {
        record* found = *link;
        if (found->key != key || found->kind != kind) continue;
        if (unlink) *link = found->next;
        return found;
    }
    return NULL;
}

static void release_record(record* entry) {
    shim_release(&region->devices[entry->device_index], entry->bytes);
    free(entry);
}

void shim_record_add(int kind, uint64_t key, tfshim_region_device* device, uint64_t bytes) {
    if (device == NULL || device == &denied_device) return;
    record* entry = calloc(1, sizeof(record));
    if (entry == NULL) return;   /* the reservation stays charged: over-counting is the safe direction */
    entry->key = key;
    entry->kind = kind;
    entry->bytes = bytes;
    entry->device_index = shim_device_index(device);
    pthread_mutex_lock(&records_lock);
    insert_locked(entry);
    pthread_mutex_unlock(&records_lock);
}

void shim_record_release(int kind, uint64_t key) {
    pthread_mutex_lock(&records_lock);
    record* found = find_locked(kind, key, 0);
    if (found != NULL && kind == RECORD_VMM_HANDLE && found->maps > 0) {
        found->released = 1;   /* the pages stay until the last unmap */
        found = NULL;
    } else if (found != NULL) {
        find_locked(kind, key, 1);
    }
    pthread_mutex_unlock(&records_lock);
    if (found != NULL) release_record(found);
}

void shim_record_mapped(uint64_t address, uint64_t handle) {
    record* mapping = calloc(1, sizeof(record));
    if (mapping == NULL) return;
    mapping->kind = RECORD_MAPPING;
    mapping->key = address;
    mapping->handle = handle;
    pthread_mutex_lock(&records_lock);
    record* owner = find_locked(RECORD_VMM_HANDLE, handle, 0);
    if (owner != NULL) {
        owner->maps++;
        insert_locked(mapping);
        mapping = NULL;
    }
    pthread_mutex_unlock(&records_lock);
    free(mapping);   /* a handle we do not account (not device memory, or created before the shim saw it) */
}

void shim_record_unmapped(uint64_t address, uint64_t size) {
    record* done = NULL;
    pthread_mutex_lock(&records_lock);
    for (uint32_t bucket = 0; bucket < RECORD_BUCKETS; bucket++) {
        record** link = &records[bucket];
        while (*link != NULL) {
            record* mapping = *link;
            if (mapping->kind != RECORD_MAPPING || mapping->key < address || mapping->key - address >= size) {
                link = &mapping->next;
                continue;
            }
            *link = mapping->next;
            record* owner = find_locked(RECORD_VMM_HANDLE, mapping->handle, 0);
            if (owner != NULL && owner->maps > 0 && --owner->maps == 0 && owner->released) {
                find_locked(RECORD_VMM_HANDLE, mapping->handle, 1);
                owner->next = done;
                done = owner;
            }
            free(mapping);
        }
    }
    pthread_mutex_unlock(&records_lock);
    while (done != NULL) {
        record* next = done->next;
        release_record(done);
        done = next;
    }
}

/* A forked child owns none of its parent's device memory: it starts with no records and claims its own slot. */
static void reset_after_fork(void) {
    pthread_mutex_init(&records_lock, NULL);
    pthread_mutex_init(&slot_lock, NULL);
    for (uint32_t i = 0; i < RECORD_BUCKETS; i++) {
        record* entry = records[i];
        while (entry != NULL) { record* next = entry->next; free(entry); entry = next; }
        records[i] = NULL;
    }
    my_slot = NULL;
    my_pid = 0;
}

/* ---- launch admission -------------------------------------------------------------------------------------------- */

/* Standalone regions: the shim adds the tokens earned since last_refill_ns, whoever wins the CAS does it. */
static void refill_standalone(tfshim_region_device* d, int64_t now) {
    int64_t rate = d->refill_tokens_per_s;
    if (rate <= 0) return;
    _Atomic int64_t* last = ATOMICI64(d->last_refill_ns);
    int64_t previous = atomic_load(last);
    int64_t elapsed = now - previous;
    if (elapsed <= 0) return;
    if (elapsed > 10000000000ll) elapsed = 10000000000ll;
    int64_t earned = (int64_t)((__int128)elapsed * rate / 1000000000ll);
    if (earned <= 0) return;
    int64_t spent_ns = (int64_t)((__int128)earned * 1000000000ll / rate);
    int64_t next = now - previous > 10000000000ll ? now : previous + spent_ns;
    if (!atomic_compare_exchange_strong(last, &previous, next)) return;
    _Atomic int64_t* tokens = ATOMICI64(d->tokens);
    int64_t current = atomic_load(tokens);
    int64_t capacity = d->token_capacity;
    int64_t wanted;
    do {
        wanted = current + earned > capacity ? capacity : current + earned;
        if (wanted <= current) return;
    } while (!atomic_compare_exchange_weak(tokens, &current, wanted));
}

static int take_tokens(_Atomic int64_t* tokens, int64_t cost) {
    int64_t current = atomic_load_explicit(tokens, memory_order_relaxed);
    while (current >= cost) {
        if (atomic_compare_exchange_weak_explicit(tokens, &current, current - cost, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            return 1;
        }
    }
    return 0;
}

/* Fast path: a token is there, take it; no clock is read. Only an empty bucket looks at the clock: standalone
 * regions refill from it, agent-owned regions check the heartbeat (stale for more than 2 s: stop waiting). */
void shim_admit_launch(void) {
    shim_ensure_cuda();
    if (region_state != REGION_READY) return;
    tfshim_region_device* d = shim_device_for_ordinal(shim_current_ordinal());
    if (d == NULL || d == &denied_device) return;
    uint32_t percent = atomic_load_explicit(ATOMIC32(d->compute_hard_percent), memory_order_relaxed);
    _Atomic int64_t* tokens = ATOMICI64(d->tokens);
    int64_t cost = d->launch_cost_tokens == 0 ? 1 : (int64_t)d->launch_cost_tokens;
    if (percent != 0 && percent < 100 && !take_tokens(tokens, cost)) {
        int agent_owned = (region->header.flags & TFSHIM_FLAG_AGENT_OWNED) != 0;
        int64_t waited_since = shim_now_ns();
        for (;;) {
            int64_t now = shim_now_ns();
            if (agent_owned) {
                int64_t heartbeat = atomic_load(ATOMICI64(region->header.heartbeat_ns));
                if (heartbeat == 0 || now - heartbeat > TFSHIM_HEARTBEAT_STALE_NS) break;   /* compute fails open */
            } else {
                refill_standalone(d, now);
            }
            if (take_tokens(tokens, cost)) break;
            shim_sleep_ns(THROTTLE_SLEEP_NS);
        }
        atomic_fetch_add(ATOMIC64(d->throttled_ns), (uint64_t)(shim_now_ns() - waited_since));
    }
    atomic_fetch_add_explicit(ATOMIC64(d->launch_count), 1, memory_order_relaxed);
}
