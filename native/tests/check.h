/* Minimal assertion helpers for the CTest executables: print the failing line and exit non-zero. */
#ifndef TFACCEL_CHECK_H
#define TFACCEL_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tfaccel.h"

#define CHECK(condition) do { if (!(condition)) { \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition); exit(1); } } while (0)
#define CHECK_RESULT(expected, call) do { tfaccel_result actual_ = (call); if (actual_ != (expected)) { \
    fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s)\n", __FILE__, __LINE__, #call, actual_, \
            tfaccel_result_name(actual_), (expected), tfaccel_result_name(expected)); exit(1); } } while (0)

static inline tfaccel_context* open_sim(const char* model, uint32_t devices, uint64_t seed, const char* limits_dir) {
    tfaccel_sim_config config;
    memset(&config, 0, sizeof(config));
    snprintf(config.model, sizeof(config.model), "%s", model);
    snprintf(config.uuid_prefix, sizeof(config.uuid_prefix), "GPU-test");
    config.device_count = devices;
    config.seed = seed;
    tfaccel_context* context = NULL;
    CHECK_RESULT(TFACCEL_OK, tfaccel_init(TFACCEL_BACKEND_SIMULATOR, &config, limits_dir, &context));
    return context;
}

static inline tfaccel_load_model constant_load(double level, uint64_t memory) {
    tfaccel_load_model load;
    memset(&load, 0, sizeof(load));
    load.kind = TFACCEL_LOAD_CONSTANT;
    load.base = level;
    load.memory_bytes = memory;
    return load;
}

#endif
