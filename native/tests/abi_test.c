/* ABI contract: version, result names, argument checks, struct sizes the C# bindings rely on. */
#include <stddef.h>
#include "check.h"

int main(void) {
    CHECK(tfaccel_abi_version() == TFACCEL_ABI_VERSION);
    CHECK(strcmp(tfaccel_result_name(TFACCEL_ERR_IN_USE), "in use") == 0);
    CHECK(strcmp(tfaccel_result_name(TFACCEL_ERR_NO_DRIVER), "no NVIDIA driver") == 0);
    CHECK(strcmp(tfaccel_result_name(999), "unknown result") == 0);

    /* Sizes and offsets pinned here are asserted again from C# (StructLayoutTests). */
    CHECK(sizeof(tfaccel_sim_config) == 112);
    CHECK(sizeof(tfaccel_device_info) == 200);
    CHECK(offsetof(tfaccel_device_info, memory_total_bytes) == 168);
    CHECK(offsetof(tfaccel_device_info, max_tflops) == 192);
    CHECK(sizeof(tfaccel_device_metrics) == 32);
    CHECK(sizeof(tfaccel_process_usage) == 152);
    CHECK(sizeof(tfaccel_mig_profile) == 96);
    CHECK(sizeof(tfaccel_mig_instance) == 120);
    CHECK(sizeof(tfaccel_worker_limits) == 128);
    CHECK(sizeof(tfaccel_load_model) == 64);
    CHECK(tfaccel_struct_size(2) == sizeof(tfaccel_device_info) && tfaccel_struct_size(0) == 0);

    tfaccel_context* context = NULL;
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_init(TFACCEL_BACKEND_SIMULATOR, NULL, NULL, &context));
    CHECK(context == NULL);
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_init(42, NULL, NULL, &context));
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_init(TFACCEL_BACKEND_SIMULATOR, NULL, NULL, NULL));
    tfaccel_sim_config bad;
    memset(&bad, 0, sizeof(bad));
    snprintf(bad.model, sizeof(bad.model), "NoSuchGPU");
    bad.device_count = 1;
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_init(TFACCEL_BACKEND_SIMULATOR, &bad, NULL, &context));
    snprintf(bad.model, sizeof(bad.model), "A100-80GB");
    bad.device_count = 17;
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_init(TFACCEL_BACKEND_SIMULATOR, &bad, NULL, &context));

    context = open_sim("A100-80GB", 2, 1, NULL);
    uint32_t count = 0;
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_list_devices(context, NULL, 4, &count));
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_list_devices(NULL, NULL, 0, &count));
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_list_devices(context, NULL, 0, &count));
    CHECK(count == 2);
    CHECK_RESULT(TFACCEL_ERR_NOT_SUPPORTED, tfaccel_limits_set(context, "w1", NULL, 0)); /* no limits dir */
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_limits_set(context, "../etc", NULL, 0));
    CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(context));
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_shutdown(NULL));
    return 0;
}
