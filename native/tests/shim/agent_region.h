/* Writes an agent-owned region the way the node agent does (from the public layout only, byte for byte): the shim
 * tests and the benchmark use it to stand in for the agent. */
#ifndef TFSHIM_TEST_AGENT_REGION_H
#define TFSHIM_TEST_AGENT_REGION_H

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tfshim_region.h"

/* Creates path with a header for device_count devices and the given heartbeat, every other field zero; the caller
 * fills the devices and then calls agent_region_publish. NULL when the file cannot be written. */
static inline tfshim_region* agent_region_create(const char* path, uint32_t device_count, int64_t heartbeat_ns) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return NULL;
    if (ftruncate(fd, sizeof(tfshim_region)) != 0) { close(fd); return NULL; }
    tfshim_region* r = mmap(NULL, sizeof(tfshim_region), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (r == MAP_FAILED) return NULL;
    tfshim_region_init_header(&r->header, device_count, TFSHIM_FLAG_AGENT_OWNED);
    r->header.heartbeat_ns = heartbeat_ns;
    return r;
}

/* The magic goes in last: a reader never accepts a half-written region. */
static inline void agent_region_publish(tfshim_region* region) {
    __atomic_store_n(&region->header.magic, TFSHIM_REGION_MAGIC, __ATOMIC_RELEASE);
}

#endif
