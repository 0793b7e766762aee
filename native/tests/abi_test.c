#include <stdio.h>
#include "tfaccel.h"

int main(void) {
    if (tfaccel_abi_version() != TFACCEL_ABI_VERSION) {
        fprintf(stderr, "abi version mismatch\n");
        return 1;
    }
    return 0;
}
