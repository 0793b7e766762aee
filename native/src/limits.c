/* Per-worker limiter configuration: one small text file per worker that the in-container runtime reads.
 * Format (one line per device, after a version header):
 *   # tfaccel worker limits v1
 *   device=<uuid> isolation=<0..3> compute_soft_percent=<n> compute_hard_percent=<n> memory_soft_bytes=<n> memory_hard_bytes=<n>
 * Files are replaced atomically (write temp, rename) so a reader never sees half a file. There is deliberately no
 * fsync: a process crash cannot lose a renamed file, and after a power loss (new boot id) the agent rewrites every
 * limits file from its checkpointed plan; an fsync per worker would dominate plan-apply time (~12 ms each here). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define HEADER "# tfaccel worker limits v1\n"
#define SUFFIX ".limits"

static int limits_path(char* path, size_t size, const char* dir, const char* worker_id, const char* extra) {
    int written = snprintf(path, size, "%s/%s%s%s", dir, worker_id, SUFFIX, extra);
    return written > 0 && (size_t)written < size;
}

static int valid_entry(const tfaccel_worker_limits* entry) {
    size_t length = strnlen(entry->device_uuid, sizeof(entry->device_uuid));
    if (length == 0 || length == sizeof(entry->device_uuid)) return 0;
    for (size_t i = 0; i < length; i++) {
        if (entry->device_uuid[i] <= ' ' || entry->device_uuid[i] == '=') return 0;
    }
    return entry->isolation <= TFACCEL_ISOLATION_PARTITIONED && entry->compute_soft_percent <= 100 &&
           entry->compute_hard_percent <= 100;
}

tfaccel_result limits_write(const char* dir, const char* worker_id, const tfaccel_worker_limits* entries,
                            uint32_t count) {
    if (count > SIM_MAX_DEVICES) return TFACCEL_ERR_INVALID_ARGUMENT;
    for (uint32_t i = 0; i < count; i++) {
        if (!valid_entry(&entries[i])) return TFACCEL_ERR_INVALID_ARGUMENT;
    }
    char path[768], temp[800];
    if (!limits_path(path, sizeof(path), dir, worker_id, "") || !limits_path(temp, sizeof(temp), dir, worker_id, ".tmp")) {
        return TFACCEL_ERR_INVALID_ARGUMENT;
    }
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return TFACCEL_ERR_INTERNAL;
    FILE* file = fdopen(fd, "w");
    if (file == NULL) { close(fd); return TFACCEL_ERR_INTERNAL; }
    int ok = fputs(HEADER, file) >= 0;
    for (uint32_t i = 0; i < count && ok; i++) {
        const tfaccel_worker_limits* e = &entries[i];
        ok = fprintf(file,
                     "device=%s isolation=%u compute_soft_percent=%u compute_hard_percent=%u "
                     "memory_soft_bytes=%" PRIu64 " memory_hard_bytes=%" PRIu64 "\n",
                     e->device_uuid, e->isolation, e->compute_soft_percent, e->compute_hard_percent,
                     e->memory_soft_bytes, e->memory_hard_bytes) > 0;
    }
    ok = ok && fflush(file) == 0;
    ok = fclose(file) == 0 && ok;
    if (!ok || rename(temp, path) != 0) { unlink(temp); return TFACCEL_ERR_INTERNAL; }
    return TFACCEL_OK;
}

tfaccel_result limits_read(const char* dir, const char* worker_id, tfaccel_worker_limits* buffer, uint32_t capacity,
                           uint32_t* count) {
    char path[768];
    if (!limits_path(path, sizeof(path), dir, worker_id, "")) return TFACCEL_ERR_INVALID_ARGUMENT;
    FILE* file = fopen(path, "re");
    if (file == NULL) return errno == ENOENT ? TFACCEL_ERR_NOT_FOUND : TFACCEL_ERR_INTERNAL;
    tfaccel_worker_limits entries[SIM_MAX_DEVICES];
    uint32_t found = 0;
    char line[512];
    tfaccel_result result = TFACCEL_OK;
    while (fgets(line, sizeof(line), file) != NULL) {
        if (line[0] == '#' || line[0] == '\n') continue;
        if (found == SIM_MAX_DEVICES) { result = TFACCEL_ERR_INTERNAL; break; }
        tfaccel_worker_limits* e = &entries[found];
        memset(e, 0, sizeof(*e));
        int fields = sscanf(line,
                            "device=%95s isolation=%u compute_soft_percent=%u compute_hard_percent=%u "
                            "memory_soft_bytes=%" SCNu64 " memory_hard_bytes=%" SCNu64,
                            e->device_uuid, &e->isolation, &e->compute_soft_percent, &e->compute_hard_percent,
                            &e->memory_soft_bytes, &e->memory_hard_bytes);
        if (fields != 6 || !valid_entry(e)) { result = TFACCEL_ERR_INTERNAL; break; } /* corrupt file */
        found++;
    }
    fclose(file);
    if (result != TFACCEL_OK) return result;
    if (capacity < found) { *count = found; return TFACCEL_ERR_RESOURCE_EXHAUSTED; }
    if (found > 0) memcpy(buffer, entries, sizeof(entries[0]) * found);
    *count = found;
    return TFACCEL_OK;
}

tfaccel_result limits_remove(const char* dir, const char* worker_id) {
    char path[768];
    if (!limits_path(path, sizeof(path), dir, worker_id, "")) return TFACCEL_ERR_INVALID_ARGUMENT;
    if (unlink(path) == 0) return TFACCEL_OK;
    return errno == ENOENT ? TFACCEL_ERR_NOT_FOUND : TFACCEL_ERR_INTERNAL;
}

tfaccel_result limits_list(const char* dir, tfaccel_worker_name* buffer, uint32_t capacity, uint32_t* count) {
    DIR* directory = opendir(dir);
    if (directory == NULL) return errno == ENOENT ? (*count = 0, TFACCEL_OK) : TFACCEL_ERR_INTERNAL;
    uint32_t found = 0;
    struct dirent* entry;
    const size_t suffix_length = strlen(SUFFIX);
    while ((entry = readdir(directory)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (length <= suffix_length || strcmp(entry->d_name + length - suffix_length, SUFFIX) != 0) continue;
        if (length - suffix_length >= TFACCEL_WORKER_ID_LEN) continue;
        if (found < capacity) {
            memcpy(buffer[found].worker_id, entry->d_name, length - suffix_length);
            buffer[found].worker_id[length - suffix_length] = '\0';
        }
        found++;
    }
    closedir(directory);
    *count = found;
    return found > capacity ? TFACCEL_ERR_RESOURCE_EXHAUSTED : TFACCEL_OK;
}
