/* libtfaccel: a small, versioned C ABI over GPU accelerators (NVML or a simulator). */
#ifndef TFACCEL_H
#define TFACCEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFACCEL_API __attribute__((visibility("default")))

/* ABI version: bumped on any incompatible change to exported functions or structs. */
#define TFACCEL_ABI_VERSION 1u

TFACCEL_API uint32_t tfaccel_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif /* TFACCEL_H */
