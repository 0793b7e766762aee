/* Load models: constant, sine, step, trace; deterministic noise; caller-driven time; limiter caps. */
#include <math.h>
#include "check.h"

static uint32_t util_of(tfaccel_context* context, uint32_t pid) {
    tfaccel_process_usage processes[8];
    uint32_t count = 0;
    CHECK_RESULT(TFACCEL_OK, tfaccel_list_processes(context, processes, 8, &count));
    for (uint32_t i = 0; i < count; i++) {
        if (processes[i].pid == pid) return processes[i].utilization_percent;
    }
    CHECK(!"pid not found");
    return 0;
}

int main(void) {
    tfaccel_context* context = open_sim("A100-40GB", 1, 42, NULL);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 1000));
    CHECK_RESULT(TFACCEL_ERR_INVALID_ARGUMENT, tfaccel_sim_set_time(context, 999)); /* time never runs back */

    /* Sine 0.5 + 0.3 sin(2 pi t / 40 s), started at t = 1 s: at +10 s it peaks at 80 %, at +30 s it is 20 %. */
    tfaccel_load_model sine = constant_load(0.5, 0);
    sine.kind = TFACCEL_LOAD_SINE;
    sine.amplitude = 0.3;
    sine.period_seconds = 40;
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 1, 0, TFACCEL_NO_INSTANCE, "sine", &sine));
    CHECK(util_of(context, 1) == 50);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 11000));
    CHECK(util_of(context, 1) == 80);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 31000));
    CHECK(util_of(context, 1) == 20);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_stop_process(context, 1));

    /* Step from 10 % to 60 % at +5 s. */
    tfaccel_load_model step = constant_load(0.1, 0);
    step.kind = TFACCEL_LOAD_STEP;
    step.step_at_seconds = 5;
    step.step_level = 0.6;
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 2, 0, TFACCEL_NO_INSTANCE, "step", &step));
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 35999));
    CHECK(util_of(context, 2) == 10);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 36000));
    CHECK(util_of(context, 2) == 60);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_stop_process(context, 2));

    /* Trace of 3 samples, 2 s apart, replayed in a loop: +0..2 s -> 0.2, +2..4 s -> 0.9, +4..6 s -> 0.4, +6 s -> 0.2. */
    tfaccel_load_model trace = constant_load(0, 0);
    trace.kind = TFACCEL_LOAD_TRACE;
    const double samples[] = { 0.2, 0.9, 0.4 };
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(context, 3, 0, TFACCEL_NO_INSTANCE, "trace", &trace));
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_trace(context, 3, samples, 3, 2.0));
    CHECK_RESULT(TFACCEL_ERR_NOT_FOUND, tfaccel_sim_set_trace(context, 99, samples, 3, 2.0));
    CHECK(util_of(context, 3) == 20);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 38500));
    CHECK(util_of(context, 3) == 90);
    CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(context, 42000));
    CHECK(util_of(context, 3) == 20);
    CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(context));

    /* Noise: the same seed gives the same series, another seed a different one; all within base +- noise. */
    uint32_t series[3][20];
    const uint64_t seeds[3] = { 5, 5, 6 };
    for (int run = 0; run < 3; run++) {
        tfaccel_context* noisy = open_sim("A100-40GB", 1, seeds[run], NULL);
        tfaccel_load_model load = constant_load(0.5, 0);
        load.noise = 0.2;
        CHECK_RESULT(TFACCEL_OK, tfaccel_sim_start_process(noisy, 7, 0, TFACCEL_NO_INSTANCE, "n", &load));
        for (int t = 0; t < 20; t++) {
            CHECK_RESULT(TFACCEL_OK, tfaccel_sim_set_time(noisy, (uint64_t)t * 1000));
            series[run][t] = util_of(noisy, 7);
            CHECK(series[run][t] >= 30 && series[run][t] <= 70);
        }
        CHECK_RESULT(TFACCEL_OK, tfaccel_shutdown(noisy));
    }
    CHECK(memcmp(series[0], series[1], sizeof(series[0])) == 0);
    CHECK(memcmp(series[0], series[2], sizeof(series[0])) != 0);
    return 0;
}
