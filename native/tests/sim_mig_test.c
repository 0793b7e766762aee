/* Simulator MIG rules: placements, overlap, compute budget, per-profile counts, IN_USE, idle-only mode change. */
#include "check.h"

static tfaccel_mig_instance create(tfaccel_context* context, uint32_t profile, uint32_t start) {
    tfaccel_mig_instance instance;
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_create_instance(context, 0, profile, start, &instance));
    return instance;
}

int main(void) {
    tfaccel_context* context = open_sim("A100-80GB", 1, 1, NULL);
    tfaccel_mig_instance instance;
    CHECK_RESULT(TFACCEL_ERR_NOT_SUPPORTED, tfaccel_mig_create_instance(context, 0, 19, 0, &instance));

    tfaccel_mig_profile profiles[8];
    uint32_t count = 0;
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_list_profiles(context, 0, profiles, 8, &count));
    CHECK(count == 7);
    CHECK(strcmp(profiles[4].name, "3g.40gb") == 0 && profiles[4].profile_id == 9);
    CHECK(profiles[4].placement_count == 2 && profiles[4].placement_starts[1] == 4 && profiles[4].memory_slices == 4);

    /* Mode change is refused while a process runs on the device. */
    tfaccel_load_model load = constant_load(0.5, 1ull << 30);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 10, 0, TFACCEL_NO_INSTANCE, "w", &load));
    CHECK_RESULT(TFACCEL_ERR_IN_USE, tfaccel_mig_set_mode(context, 0, 1));
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_stop_process(context, 10));
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_set_mode(context, 0, 1));
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_set_mode(context, 0, 1)); /* already set: no-op */

    /* 3g at 0 (memory 0-3), 2g at 4 (4-5), 1g at 6: compute 3 + 2 + 1 = 6 of 7. */
    tfaccel_mig_instance big = create(context, 9, 0);
    CHECK(big.placement_size == 4 && big.gpu_instance_id == 1);
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_mig_create_instance(context, 0, 9, 2, &instance)); /* 3g only at 0 or 4 */
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_mig_create_instance(context, 0, 14, 2, &instance)); /* overlaps 3g */
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_mig_create_instance(context, 0, 77, 0, &instance));
    create(context, 14, 4);
    tfaccel_mig_instance small = create(context, 19, 6);
    /* Every 1g start (0..6) is now covered; memory slice 7 alone fits no profile. */
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_mig_create_instance(context, 0, 19, 5, &instance));
    tfaccel_mig_instance listed[8];
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_list_instances(context, 0, listed, 8, &count));
    CHECK(count == 3);

    /* A process inside the 3g instance: 50 % of 3/7 of the device = 21 %. */
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_sim_start_process(context, 11, 0, TFACCEL_NO_INSTANCE, "w", &load));
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_sim_start_process(context, 11, 0, 99, "w", &load));
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 11, 0, big.gpu_instance_id, "w", &load));
    tfaccel_device_metrics metrics;
    CHECK_RESULT(TFACCEL_OK, tfaccel_device_metrics_get(context, 0, &metrics));
    CHECK(metrics.utilization_percent == 21);

    /* Destroying an instance with a live process is IN_USE; an idle one goes. */
    CHECK_RESULT(TFACCEL_ERR_IN_USE, tfaccel_mig_destroy_instance(context, 0, big.gpu_instance_id));
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_destroy_instance(context, 0, small.gpu_instance_id));
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_mig_destroy_instance(context, 0, small.gpu_instance_id));
    CHECK_RESULT(TFACCEL_ERR_IN_USE, tfaccel_mig_set_mode(context, 0, 0)); /* instances still exist */
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_stop_process(context, 11));
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_destroy_instance(context, 0, big.gpu_instance_id));

    /* Instance ids are never reused on a device: 1, 2, 3 were taken, the next is 4. */
    tfaccel_mig_instance again = create(context, 9, 0);
    CHECK(again.gpu_instance_id == 4);

    /* Per-profile limit: only one 1g+me (profile 20) per GPU even with free slices. */
    CHECK_RESULT(TFACCEL_OK, tfaccel_mig_destroy_instance(context, 0, again.gpu_instance_id));
    create(context, 20, 0);
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_mig_create_instance(context, 0, 20, 1, &instance));

    /* A full 7g needs the whole device. */
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_mig_create_instance(context, 0, 0, 0, &instance));
    CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(context));
    return 0;
}
