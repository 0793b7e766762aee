/* Internal declarations of libtfshim shared by its translation units. Not part of any ABI. */
#ifndef TFSHIM_INTERNAL_H
#define TFSHIM_INTERNAL_H

#include <stdint.h>
#include "cuda_types.h"
#include "tfshim_region.h"

#define TFSHIM_EXPORT __attribute__((visibility("default")))

enum {
#define TFSHIM_HOOK(name, family, since, ptds) HOOK_##name,
#include "shim_hooks.h"
#undef TFSHIM_HOOK
    HOOK_COUNT
};

typedef struct {
    const char* name;
    const char* family;
    int since;
    int per_thread_stream;
    void* wrapper;     /* our exported function */
    void* real;        /* the driver's export of the same name, NULL when the driver lacks it */
} shim_hook;

extern shim_hook shim_hooks[HOOK_COUNT];

/* Kinds of process-local allocation records (what a free call names). */
enum { RECORD_POINTER = 1, RECORD_VMM_HANDLE = 2, RECORD_ARRAY = 3, RECORD_MIPMAPPED_ARRAY = 4, RECORD_MAPPING = 5 };

/* Set while this thread loads the driver: a driver that looks up its own symbols from its constructor gets them
 * unhooked, or loading would wait on itself. */
extern __thread int shim_loading_driver;

/* Loads the real driver entry points once; safe to call from any hook. */
void shim_ensure_cuda(void);
void shim_ensure_nvml(void);
void* shim_real_dlsym(void* handle, const char* name);
void* shim_nvml_symbol(const char* name);
/* The driver's own export of name (NULL when it lacks it). */
void* shim_cuda_symbol(const char* name);
#define REAL(name) ((__typeof__(&name))shim_hooks[HOOK_##name].real)

/* The region entry for a CUDA device ordinal, NULL when no limit applies (no region, or inert). */
tfshim_region_device* shim_device_for_ordinal(int ordinal);
tfshim_region_device* shim_device_for_nvml(nvmlDevice_t device);
int shim_device_index(const tfshim_region_device* device);
/* 1 when the region is unusable and memory must be refused (fail closed). */
int shim_memory_refused(void);
int shim_current_ordinal(void);

/* Reserves bytes against the device's hard limit (atomically, before the real call); 0 on success. */
int shim_reserve(tfshim_region_device* device, uint64_t bytes);
void shim_release(tfshim_region_device* device, uint64_t bytes);
void shim_record_add(int kind, uint64_t key, tfshim_region_device* device, uint64_t bytes);
/* Removes a record and releases its bytes; unknown keys (allocated before the shim saw them) are ignored. */
void shim_record_release(int kind, uint64_t key);
/* VMM: physical memory lives until its handle is released AND unmapped everywhere, so a handle released while
 * mapped keeps its charge until the last cuMemUnmap over it. */
void shim_record_mapped(uint64_t address, uint64_t handle);
void shim_record_unmapped(uint64_t address, uint64_t size);
/* (total, free) the worker sees for a device given the driver's real figures. */
void shim_memory_view(const tfshim_region_device* device, uint64_t real_total, uint64_t real_free, uint64_t* total,
                      uint64_t* free_bytes);

/* Spends launch tokens for the current device, waiting while the bucket is empty. */
void shim_admit_launch(void);

int64_t shim_now_ns(void);

#endif
