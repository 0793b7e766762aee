/* Without libnvidia-ml.so.1 (CTest points TFACCEL_NVML_LIBRARY at a missing file), init fails cleanly. */
#include "check.h"

int main(void) {
    tfaccel_context* context = (tfaccel_context*)0x1;
    CHECK_RESULT(TFACCEL_ERR_NO_DRIVER, tfaccel_init(TFACCEL_BACKEND_NVML, NULL, NULL, &context));
    CHECK(context == NULL);
    /* Simulator-only calls on nothing are rejected, not crashed on. */
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_sim_set_time(NULL, 0));
    return 0;
}
