#include "tfaccel.h"

uint32_t tfaccel_abi_version(void) { return TFACCEL_ABI_VERSION; }
