/* Simulator inventory, metrics, processes and fault injection. */
#include "check.h"

int main(void) {
    tfaccel_context* context = open_sim("H100-80GB", 4, 7, NULL);
    tfaccel_device_info devices[8];
    uint32_t count = 0;
    CHECK_RESULT(TFACCEL_OK, tfaccel_list_devices(context, devices, 8, &count));
    CHECK(count == 4);
    CHECK(strcmp(devices[3].uuid, "GPU-test-3") == 0);
    CHECK(strcmp(devices[0].model, "H100-80GB") == 0);
    CHECK(devices[0].memory_total_bytes == 80ull << 30);
    CHECK(devices[0].sm_count == 132 && devices[0].max_tflops == 989.0);
    CHECK(devices[0].mig_capable == 1 && devices[0].mig_enabled == 0);
    CHECK(devices[0].numa_node == 0 && devices[3].numa_node == 1);

    /* Idle device: 0 % utilisation, idle power 70 W, 30 degrees. */
    tfaccel_device_metrics metrics;
    CHECK_RESULT(TFACCEL_OK, tfaccel_device_metrics_get(context, 1, &metrics));
    CHECK(metrics.utilization_percent == 0 && metrics.memory_used_bytes == 0);
    CHECK(metrics.power_milliwatts == 70000 && metrics.temperature_celsius == 30);
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_device_metrics_get(context, 9, &metrics));

    /* Two processes at 30 % and 50 %: the device reads 80 %, power 70 + 0.8 * 630 = 574 W. */
    tfaccel_load_model a = constant_load(0.3, 1ull << 30), b = constant_load(0.5, 2ull << 30);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 100, 1, TFACCEL_NO_INSTANCE, "ns_w1", &a));
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 101, 1, TFACCEL_NO_INSTANCE, "ns_w2", &b));
    CHECK_RESULT(TFACCEL_ERR_IN_USE, tfaccel_sim_start_process(context, 100, 2, TFACCEL_NO_INSTANCE, "x", &a));
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_sim_start_process(context, 102, 1, 3, "x", &a));
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_sim_start_process(context, 103, 1, TFACCEL_NO_INSTANCE, "a/b", &a));
    CHECK_RESULT(TFACCEL_OK, tfaccel_device_metrics_get(context, 1, &metrics));
    CHECK(metrics.utilization_percent == 80);
    CHECK(metrics.memory_used_bytes == 3ull << 30);
    CHECK(metrics.power_milliwatts == 574000);

    tfaccel_process_usage processes[4];
    CHECK_RESULT(TFACCEL_ERR_RESOURCE_EXHAUSTED, tfaccel_list_processes(context, processes, 1, &count));
    CHECK(count == 2);
    CHECK_RESULT(TFACCEL_OK, tfaccel_list_processes(context, processes, 4, &count));
    CHECK(count == 2 && processes[0].pid == 100 && processes[0].utilization_percent == 30);
    CHECK(strcmp(processes[1].worker_id, "ns_w2") == 0 && processes[1].gpu_instance_id == TFACCEL_NO_INSTANCE);

    /* An Xid marks the device unhealthy but keeps it listed; a lost device disappears. */
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_inject_fault(context, 2, TFACCEL_HEALTH_XID_CRITICAL, 79));
    CHECK_RESULT(TFACCEL_OK, tfaccel_device_metrics_get(context, 2, &metrics));
    CHECK(metrics.health == TFACCEL_HEALTH_XID_CRITICAL && metrics.last_xid == 79);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_inject_fault(context, 1, TFACCEL_HEALTH_LOST, 0));
    CHECK_RESULT(TFACCEL_OK, tfaccel_list_devices(context, devices, 8, &count));
    CHECK(count == 3 && devices[1].index == 2 && devices[1].health == TFACCEL_HEALTH_XID_CRITICAL);
    CHECK_RESULT(TFACCEL_ERR_GPU_LOST, tfaccel_device_metrics_get(context, 1, &metrics));
    CHECK_RESULT(TFACCEL_OK, tfaccel_list_processes(context, processes, 4, &count));
    CHECK(count == 0);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_inject_fault(context, 1, TFACCEL_HEALTH_OK, 0));
    CHECK_RESULT(TFACCEL_OK, tfaccel_list_devices(context, devices, 8, &count));
    CHECK(count == 4);

    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_stop_process(context, 100));
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_sim_stop_process(context, 100));
    CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(context));

    /* A non-MIG model refuses MIG calls. */
    context = open_sim("L4", 1, 0, NULL);
    CHECK_RESULT(TFACCEL_ERR_NOT_SUPPORTED, tfaccel_mig_set_mode(context, 0, 1));
    CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(context));
    return 0;
}
