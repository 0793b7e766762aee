/* Per-worker limit files: round trip, listing, removal, validation, and the simulator honouring the cap. */
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    char dir[] = "/tmp/tfaccel-limits-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    tfaccel_context* context = open_sim("A100-80GB", 2, 1, dir);

    tfaccel_worker_limits limits[2];
    memset(limits, 0, sizeof(limits));
    snprintf(limits[0].device_uuid, sizeof(limits[0].device_uuid), "GPU-test-0");
    limits[0].isolation = TFACCEL_ISOLATION_HARD;
    limits[0].compute_soft_percent = 20;
    limits[0].compute_hard_percent = 25;
    limits[0].memory_hard_bytes = 8ull << 30;
    snprintf(limits[1].device_uuid, sizeof(limits[1].device_uuid), "GPU-test-1");
    limits[1].isolation = TFACCEL_ISOLATION_SOFT;
    limits[1].compute_soft_percent = 40;
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_set(context, "default_train-0", limits, 2));

    tfaccel_worker_limits read_back[4];
    uint32_t count = 0;
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_limits_get(context, "default_train-0", read_back, 1, &count));
    CHECK(count == 2);
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_get(context, "default_train-0", read_back, 4, &count));
    CHECK(count == 2 && memcmp(read_back, limits, sizeof(limits)) == 0);
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_limits_get(context, "nobody", read_back, 4, &count));

    /* Hard cap 25 %: a process wanting 90 % reads 25 %; soft 40 % on device 1 caps there too. */
    tfaccel_load_model load = constant_load(0.9, 0);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 1, 0, TFACCEL_NO_INSTANCE, "default_train-0", &load));
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 2, 1, TFACCEL_NO_INSTANCE, "default_train-0", &load));
    tfaccel_device_metrics metrics;
    CHECK_RESULT(TFACCEL_OK, tfaccel_device_metrics_get(context, 0, &metrics));
    CHECK(metrics.utilization_percent == 25);
    CHECK_RESULT(TFACCEL_OK, tfaccel_device_metrics_get(context, 1, &metrics));
    CHECK(metrics.utilization_percent == 40);

    /* Bad entries are refused and leave the old file in place. */
    tfaccel_worker_limits bad = limits[0];
    bad.compute_hard_percent = 101;
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_limits_set(context, "default_train-0", &bad, 1));
    snprintf(bad.device_uuid, sizeof(bad.device_uuid), "has space");
    bad.compute_hard_percent = 10;
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_limits_set(context, "default_train-0", &bad, 1));
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_get(context, "default_train-0", read_back, 4, &count));
    CHECK(count == 2);

    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_set(context, "other", limits, 1));
    tfaccel_worker_name names[4];
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_list(context, names, 4, &count));
    CHECK(count == 2);
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_remove(context, "other"));
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_limits_remove(context, "other"));
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_list(context, names, 4, &count));
    CHECK(count == 1 && strcmp(names[0].worker_id, "default_train-0") == 0);

    /* A corrupt file is reported, not trusted. */
    char path[256];
    snprintf(path, sizeof(path), "%s/broken.limits", dir);
    FILE* file = fopen(path, "w");
    CHECK(file != NULL);
    fputs("device=GPU-x isolation=9\n", file);
    fclose(file);
    CHECK_RESULT(TFACCEL_ERR_INTERNAL, tfaccel_limits_get(context, "broken", read_back, 4, &count));

    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_remove(context, "broken"));
    CHECK_RESULT(TFACCEL_OK, tfaccel_limits_remove(context, "default_train-0"));
    CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(context));
    CHECK(rmdir(dir) == 0);
    return 0;
}
